import { ExitCode, usageError } from '../../errors.js';
import { commandIO, jsonIO } from '../../LeakgateIO.js';
import { compare } from '../../pipelines/compare.js';
import type { Command } from '../commands.js';
import { parseRunFlags, takeAll, takeOne } from '../flags.js';
import { withStopSignals } from '../withStopSignals.js';

const USAGE = `Usage: leakgate compare --base-lib A --head-lib B [--model PATH]... [run options] [--out DIR] [--json]

Runs the switching scenario on two engines interleaved — base and head each in its own worker, one
cycle each in turn (base head, head base, ...), same models, same audio — so machine noise hits both
alike. Then, per model: both verdicts side by side, and head against base with a 95 % interval
(Hodges–Lehmann with its Mann–Whitney interval): leak per switch as a difference in bytes/switch
(heap in use after unload − before load, per cycle), TTFT, chars/s and the RSS a switch adds at its
peak as head/base ratios.
Failure changes come first: base crashes and head does not, or the other way round.

Fails (exit 1) when a side measured no switch, when both fail alike and the baseline accepts no such
failure, when head fails where base does not (or fails differently), when head has a leak verdict
base does not, or when a metric's whole 95 % interval is worse than allowed: leak above the signal's
noise floor (no fixed allowance), TTFT ×1.15, chars/s ×0.87, peak RSS growth ×1.10.

  --base-lib PATH      libchatllm of the base (e.g. the pinned commit)
  --head-lib PATH      libchatllm of the head (e.g. the bump)
  --model PATH         model both engines run, repeatable, in switching order [LEAKGATE_MODELS]
  --base-model PATH    per-side models, reference engine only (its behaviour lives in the model file,
  --head-model PATH    so a planted regression is head's model); chatllm.cpp runs the same files
  --out DIR            where compare-base.json and compare-head.json go (default results/)
  --json               print the comparison as JSON on stdout (the report goes to stderr)
  and leakgate run's --iterations, --audio, --truth, --threads, --context, --language, --trim,
  --gen-max-tokens, --timeout-scale, --verbose.

On GitHub Actions the comparison table is appended to the job summary.`;

export const compareCommand: Command = {
  name: 'compare',
  summary: 'base against head in one interleaved run: failure changes, verdicts side by side, head/base with 95 % intervals',
  usage: USAGE,
  async run(argv, io) {
    const rest = [...argv];
    const lib = 'native/build/lib/libchatllm.so';
    const baseLib = takeOne(rest, '--base-lib', lib);
    const headLib = takeOne(rest, '--head-lib', lib);
    const baseModels = takeAll(rest, '--base-model', 'models/a.bin');
    const headModels = takeAll(rest, '--head-model', 'models/a.bin');
    const outDir = takeOne(rest, '--out', 'results');
    if (!baseLib || !headLib)
      throw usageError(
        'compare needs both --base-lib and --head-lib (e.g. --base-lib build-base/lib/libchatllm.so --head-lib ' +
          'build-head/lib/libchatllm.so)',
      );
    const { json, baseline, report, attribute, out: _out, models, ...options } = parseRunFlags(rest);
    if (baseline !== undefined || report !== undefined)
      throw usageError('compare takes no --baseline or --report (gate each results file with leakgate gate)');
    if (attribute) throw usageError('compare takes no --attribute (run leakgate attribute on the side that leaks)');
    if (baseModels.length > 0 !== headModels.length > 0)
      throw usageError('--base-model and --head-model go together (or use --model for both)');
    if (baseModels.length > 0 && models?.length) throw usageError('give --model, or --base-model with --head-model, not both');

    const { base, head, comparison } = await withStopSignals(io, 'compare', (stoppable) =>
      compare(
        { ...options, baseLib, headLib, models, outDir, json, ...(baseModels.length > 0 ? { baseModels, headModels } : {}) },
        commandIO(json ? jsonIO(stoppable) : stoppable, 'compare'),
      ),
    );
    const stopped = [base, head]
      .map((side) => side.results.failure)
      .find((failure) => failure?.kind === 'interrupted' || failure?.kind === 'terminated');
    if (stopped?.kind === 'interrupted') return ExitCode.interrupted;
    if (stopped?.kind === 'terminated') return stopped.signal === 'SIGHUP' ? ExitCode.hangup : ExitCode.terminated;
    return comparison.passed ? ExitCode.ok : ExitCode.gateFailed;
  },
};
