import { appendFile } from 'node:fs/promises';
import { compare } from '../../pipelines/compare.js';
import { ExitCode, usageError } from '../../errors.js';
import { compareJobSummary, formatCompare } from '../../report/formatCompare.js';
import type { Command } from '../Command.js';
import { parseRunArgs } from './run.js';

const USAGE = `Usage: leakgate compare --base-lib A --head-lib B [--model PATH]... [run options] [--out DIR] [--json]

Runs the switching scenario on two engines interleaved — base and head each in its own worker, one
cycle each in turn (base head, head base, ...), same models, same audio — so machine noise hits both
alike. Then, per model: both verdicts side by side, and head against base with a 95 % interval
(Hodges–Lehmann with its Mann–Whitney interval): leak per switch as a difference in bytes/switch
(heap in use after unload − before load, per cycle), TTFT, chars/s and peak RSS as head/base ratios.
Failure changes come first: base crashes and head does not, or the other way round.

Fails (exit 1) when head fails where base does not (or fails differently), or when a metric's whole
95 % interval is worse than allowed: leak +64 KiB/switch, TTFT ×1.15, chars/s ×0.87, peak RSS ×1.10.

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

/** Removes every "--flag VALUE" from args and returns the values. */
function takeAll(args: string[], flag: string): string[] {
  const values: string[] = [];
  for (let at = args.indexOf(flag); at >= 0; at = args.indexOf(flag)) {
    const value = args[at + 1];
    if (value === undefined || value.startsWith('--')) throw usageError(`${flag} needs a path (e.g. ${flag} native/build/lib/libchatllm.so)`);
    values.push(value);
    args.splice(at, 2);
  }
  return values;
}

function takeOne(args: string[], flag: string): string | undefined {
  const values = takeAll(args, flag);
  if (values.length > 1) throw usageError(`${flag} given ${values.length} times (give it once)`);
  return values[0];
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'base against head in one interleaved run: failure changes, verdicts side by side, head/base with 95 % intervals',
  usage: USAGE,
  async run(argv, io) {
    const rest = [...argv];
    const baseLib = takeOne(rest, '--base-lib');
    const headLib = takeOne(rest, '--head-lib');
    const baseModels = takeAll(rest, '--base-model');
    const headModels = takeAll(rest, '--head-model');
    const outDir = takeOne(rest, '--out');
    if (!baseLib || !headLib) throw usageError('compare needs both --base-lib and --head-lib (e.g. --base-lib build-base/lib/libchatllm.so --head-lib build-head/lib/libchatllm.so)');
    const { json, baseline, report, out: _out, models, ...options } = parseRunArgs(rest);
    if (baseline !== undefined || report !== undefined) throw usageError('compare takes no --baseline or --report (gate each results file with leakgate gate)');
    if ((baseModels.length > 0) !== (headModels.length > 0)) throw usageError('--base-model and --head-model go together (or use --model for both)');
    if (baseModels.length > 0 && models?.length) throw usageError('give --model, or --base-model with --head-model, not both');

    const human = json ? io.log : io.out;
    const controller = new AbortController();
    const onInterrupt = (): void => {
      io.log('\ninterrupted: stopping both workers and saving what was measured\n');
      controller.abort();
    };
    process.once('SIGINT', onInterrupt);
    try {
      const { base, head, comparison } = await compare(
        {
          ...options, baseLib, headLib, models, outDir,
          ...(baseModels.length > 0 ? { baseModels, headModels } : {}),
        },
        {
          log: (text) => human(`${text}\n`), error: (text) => io.log(`leakgate compare: ${text}\n`), write: human,
          tty: !json && process.stdout.isTTY === true, env: io.env, cwd: io.cwd, signal: controller.signal,
        },
      );
      human(formatCompare(comparison));
      if (json) io.out(`${JSON.stringify(comparison, null, 2)}\n`);
      if (io.env.GITHUB_STEP_SUMMARY) await appendFile(io.env.GITHUB_STEP_SUMMARY, compareJobSummary(comparison));
      if (base.results.failure?.kind === 'interrupted' || head.results.failure?.kind === 'interrupted') return ExitCode.interrupted;
      return comparison.passed ? ExitCode.ok : ExitCode.gateFailed;
    } finally {
      process.off('SIGINT', onInterrupt);
    }
  },
};
