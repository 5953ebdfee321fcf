import { parseArgs } from 'node:util';
import { judgeRun } from '../../analysis/judgeRun.js';
import { analyzeResults } from '../../gate/analyzeResults.js';
import { formatVerdict } from '../../report/formatVerdict.js';
import { jsonSummary, jsonVerdict } from '../../report/jsonSummary.js';
import { formatSeedVerdict } from '../../report/formatSeedVerdict.js';
import { formatSummary } from '../../report/formatSummary.js';
import { readResultsFile } from '../../results/readResultsFile.js';
import type { Command } from '../Command.js';
import { ExitCode, usageError } from '../../errors.js';

const USAGE = `Usage: leakgate analyze FILE [--json]

Re-analyses a results file: leakgate's own (results/model_switch_results.json) or the seed's
model_switch_results.json (RSS in MB, model_06b / model_17b). Prints the verdict per model and
for the whole process — leak, undecided, plateau or clean — with its evidence: signal, slope and 95 % interval per switch after the
measured warm-up, noise floor, switches used. Exit 0 whatever the verdict (use leakgate gate to fail).

  --json   print the verdict as JSON on stdout`;

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: "re-analyse a results file (leakgate's or the seed's) and print the verdict with evidence",
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { json: { type: 'boolean' } } });
    if (positionals.length !== 1) throw usageError('analyze takes one results file (leakgate analyze results/model_switch_results.json)');
    const file = await readResultsFile(positionals[0]!);
    if (file.format === 'leakgate') {
      const analysis = analyzeResults(file.results);
      if (values.json) io.out(`${JSON.stringify(jsonSummary(file.results, analysis, null), null, 2)}\n`);
      else io.out(`${formatSummary(analysis.summary)}\n${formatVerdict(analysis)}\n`);
      return ExitCode.ok;
    }
    const judgement = judgeRun(file.series, { process: file.processLevels });
    if (values.json) {
      const { verdict, byModel } = jsonVerdict(judgement);
      const models = file.series.map((s) => ({ key: s.modelKey, label: s.label, verdict: byModel.get(s.modelKey) }));
      io.out(`${JSON.stringify({ format: 'seed', iterations: file.iterations, verdict, models, process: judgement.process }, null, 2)}\n`);
    } else {
      io.out(formatSeedVerdict(judgement, file.series, file.processLevels));
    }
    return ExitCode.ok;
  },
};
