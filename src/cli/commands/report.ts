import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeResults } from '../../gate/analyzeResults.js';
import { createReporters, reportEnd } from '../../report/reporters.js';
import { checkReportDir } from '../../report/checkReportDir.js';
import { readLeakgateResults } from '../../analysis/readResultsFile.js';
import { journalPathOf } from '../../results/ResultsJournal.js';
import { reporterIO, type Command } from '../Command.js';
import { ExitCode, usageError } from '../../errors.js';

const USAGE = `Usage: leakgate report RESULTS [-o DIR]

Writes an HTML report of a results file: per model the memory after each unload (heap in use,
RssAnon, RSS) with the warm-up shaded, the fitted slope and its 95 % CI, the four phases of every
switch, and the verdict with its evidence; the seed's summary table, TTFT, speed and WER per
iteration, unload checks, the failure if the run crashed or hung, and the engine and model
provenance. The page is self-contained (open it offline); every chart is also written as a
standalone SVG next to it, for pasting into an issue. Exit 0 whatever the verdict.

  -o, --out DIR   directory to write into (default reports/)`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a self-contained HTML report (memory timelines, verdict, evidence) and SVG charts',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv, strict: true, allowPositionals: true,
      options: { out: { type: 'string', short: 'o' } },
    });
    if (positionals.length !== 1) throw usageError('report takes one results file (leakgate report results/model_switch_results.json -o reports)');
    const resultsPath = resolve(io.cwd, positionals[0]!);
    const dir = resolve(io.cwd, values.out ?? 'reports');
    await checkReportDir(dir, '-o', [{ what: 'results file', path: resultsPath }, { what: 'results journal', path: journalPathOf(resultsPath) }]);
    const results = await readLeakgateResults(positionals[0]!, 'not the phases a report charts');
    const reporters = createReporters(['html'], reporterIO(io, 'report', false), { verbose: false, reportDir: dir });
    await reportEnd(reporters, { results: results, analysis: analyzeResults(results), gate: null, baselineFile: null });
    return ExitCode.ok;
  },
};
