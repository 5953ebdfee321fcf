import { parseArgs } from 'node:util';
import { ExitCode, usageError } from '../../errors.js';
import { commandIO } from '../../LeakgateIO.js';
import { report } from '../../pipelines/judge.js';
import type { Command } from '../commands.js';

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
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { out: { type: 'string', short: 'o' } },
    });
    if (positionals.length !== 1)
      throw usageError('report takes one results file (leakgate report results/model_switch_results.json -o reports)');
    await report(positionals[0]!, { outDir: values.out ?? 'reports' }, commandIO({ ...io, tty: false }, 'report'));
    return ExitCode.ok;
  },
};
