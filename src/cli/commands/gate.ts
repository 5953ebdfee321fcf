import { parseArgs } from 'node:util';
import { usageError } from '../../errors.js';
import { commandIO, jsonIO } from '../../LeakgateIO.js';
import { gate } from '../../pipelines/judge.js';
import type { Command } from '../commands.js';
import { gateExitCode } from '../runExitCode.js';

const USAGE = `Usage: leakgate gate FILE [--baseline BASELINE.json] [--json]

Fails (exit 1) when a model's verdict is leak beyond what the baseline tolerates (no baseline:
nothing is tolerated), on an undecided verdict (too few switches: never passed unjudged), on an
fd, thread or mapping leak, or when a metric regressed past its tolerance;
exit 3 when the run itself crashed or hung. A run that did not finish (interrupted, terminated,
killed, a failed results write) fails too: nothing unjudged passes. A results file with a bad field
or of another schema, or a --baseline that does not exist, is exit 2. Lists every violation with baseline, measured,
tolerance, ratio and evidence. On GitHub Actions it also writes the verdict table to the job summary.

  --baseline FILE   baseline to compare with (default baselines/<engine>/<platform>/<scenario>--<models>.json)
  --json            print the machine-readable summary (with the gate's result) on stdout`;

export const gateCommand: Command = {
  name: 'gate',
  summary: 'fail on a leak, an undecided verdict, an fd/thread/mapping leak or a regression against the checked-in baseline',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { baseline: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals.length !== 1) throw usageError('gate takes one results file (leakgate gate results/model_switch_results.json)');
    const json = values.json === true;
    const gated = await gate(
      positionals[0]!,
      { baseline: values.baseline, json },
      commandIO(json ? jsonIO(io) : { ...io, tty: false }, 'gate'),
    );
    return gateExitCode(gated.results, gated.gate);
  },
};
