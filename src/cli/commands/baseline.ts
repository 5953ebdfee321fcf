import { ExitCode, usageError } from '../../errors.js';
import { commandIO } from '../../LeakgateIO.js';
import { updateBaseline } from '../../pipelines/updateBaseline.js';
import type { Command } from '../commands.js';
import { parseRunFlags, takeOne } from '../flags.js';
import { withStopSignals } from '../withStopSignals.js';

const USAGE =
  `Usage: leakgate baseline update [run options] [--accept "REASON"] [--accept-failure "REASON" ` +
  `[--accepted-by NAME]] [--baseline FILE]

Runs the configured scenario (the same resolution as leakgate run: --lib/LIBCHATLLM,
--model/LEAKGATE_MODELS, --iterations/ITERATIONS ...) and writes its baseline atomically to
baselines/<engine>/<platform>/<scenario>--<models>.json in the working directory, your project (or
--baseline FILE): measured metrics,
tolerances, verdicts and provenance, with sorted keys so diffs review well.

It refuses to write from a run that crashed, hung or was interrupted, or whose verdict is leak or
whose unload checks failed — unless --accept "REASON" is given; the reason is recorded in the file.

--accept-failure "REASON" records the run's engine failure (crash, hang or engine error: its kind,
step, signal and message) as a known failure: the gate then passes runs that fail the same way,
fails on any other failure, and says when the known failure is gone. --accepted-by NAME (default
$GITHUB_ACTOR, else $USER) records who accepted it.`;

export const baselineCommand: Command = {
  name: 'baseline',
  summary: 'baseline update: run the configured scenario and write its baseline under baselines/ in the working directory',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'update') throw usageError(`unknown baseline sub-command "${sub ?? ''}" (use leakgate baseline update)`);
    const acceptFailure = takeOne(rest, '--accept-failure', '"upstream PR #111 open"') ?? null;
    const acceptedBy = takeOne(rest, '--accepted-by', 'alice') ?? io.env.GITHUB_ACTOR ?? io.env.USER ?? 'unknown';
    const accept = takeOne(rest, '--accept', '"upstream leak #123, fixed in the next bump"') ?? null;
    const { json: _json, attribute: _attribute, ...options } = parseRunFlags(rest);
    await withStopSignals(io, 'baseline', (stoppable) =>
      updateBaseline({ ...options, accept, acceptFailure, acceptedBy }, commandIO(stoppable, 'baseline')),
    );
    return ExitCode.ok;
  },
};
