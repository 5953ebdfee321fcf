import { parseArgs } from 'node:util';
import { ExitCode, usageError } from '../../errors.js';
import { commandIO } from '../../LeakgateIO.js';
import { analyze } from '../../pipelines/judge.js';
import type { Command } from '../commands.js';

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
    await analyze(positionals[0]!, { json: values.json === true }, commandIO({ ...io, tty: false }, 'analyze'));
    return ExitCode.ok;
  },
};
