import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeResults } from '../../gate/analyzeResults.js';
import { baselinePath, resolveBaselinesDir } from '../../gate/baselinePath.js';
import { evaluateGate } from '../../gate/evaluateGate.js';
import { readBaseline } from '../../gate/readBaseline.js';
import { checkJobSummary } from '../../report/appendJobSummary.js';
import { createReporters, reportEnd } from '../../report/reporters.js';
import { journalPathOf } from '../../results/ResultsJournal.js';
import { readLeakgateResults } from '../../analysis/readResultsFile.js';
import { reporterIO, type Command } from '../Command.js';
import { usageError } from '../../errors.js';
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
      args: argv, strict: true, allowPositionals: true,
      options: { baseline: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals.length !== 1) throw usageError('gate takes one results file (leakgate gate results/model_switch_results.json)');
    const resultsPath = resolve(io.cwd, positionals[0]!);
    checkJobSummary(io.env, io.cwd, [{ what: 'results file', path: resultsPath }, { what: 'results journal', path: journalPathOf(resultsPath) }, ...(values.baseline === undefined ? [] : [{ what: 'baseline', path: resolve(io.cwd, values.baseline) }])]);
    const results = await readLeakgateResults(resultsPath, 'not enough to gate on');
    const analysis = analyzeResults(results);
    const baselineFile = values.baseline === undefined ? baselinePath(resolveBaselinesDir(io.cwd), results) : resolve(io.cwd, values.baseline);
    const gate = evaluateGate(results, analysis, await readBaseline(baselineFile, values.baseline !== undefined), baselineFile);
    const reporters = createReporters(['console', 'github-summary', ...(values.json ? ['json' as const] : [])], reporterIO(io, 'gate', values.json === true), { verbose: false, reportDir: null });
    await reportEnd(reporters, { results, analysis, gate, baselineFile });
    return gateExitCode(results, gate);
  },
};
