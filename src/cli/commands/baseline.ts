import { relative, resolve } from 'node:path';
import { checkWritableFile } from '../../files/checkWritableFile.js';
import { buildBaseline } from '../../gate/buildBaseline.js';
import { judgedVerdicts } from '../../gate/evaluateGate.js';
import { writeBaseline } from '../../gate/writeBaseline.js';
import { run } from '../../run.js';
import type { Command } from '../Command.js';
import { ExitCode, LeakgateError, usageError } from '../../errors.js';
import { parseRunArgs } from './run.js';

const USAGE = `Usage: leakgate baseline update [run options] [--accept "REASON"] [--baseline FILE]
       npm run baseline:update -- [same options]

Runs the configured scenario (the same resolution as leakgate run: --lib/LIBCHATLLM,
--model/LEAKGATE_MODELS, --iterations/ITERATIONS ...) and writes its baseline atomically to
baselines/<engine>/<platform>/<scenario>--<models>.json (or --baseline FILE): measured metrics,
tolerances, verdicts and provenance, with sorted keys so diffs review well.

It refuses to write from a run that crashed, hung or was interrupted, or whose verdict is leak or
whose unload checks failed — unless --accept "REASON" is given; the reason is recorded in the file.`;

export const baselineCommand: Command = {
  name: 'baseline',
  summary: 'baseline update: run the configured scenario and write its baseline (npm run baseline:update)',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'update') throw usageError(`unknown baseline sub-command "${sub ?? ''}" (use leakgate baseline update)`);
    const acceptAt = rest.indexOf('--accept');
    let accept: string | null = null;
    if (acceptAt >= 0) {
      accept = rest[acceptAt + 1] ?? '';
      if (accept.trim() === '' || accept.startsWith('--')) throw usageError('--accept needs a reason, e.g. --accept "upstream leak #123, fixed in the next bump"');
      rest.splice(acceptAt, 2);
    }
    const { json: _json, baseline, report, ...options } = parseRunArgs(rest);
    // Where the baseline goes is checked now, not after the run it is taken from.
    if (baseline !== undefined) await checkWritableFile(resolve(io.cwd, baseline), 'baseline', 'pass --baseline FILE in a writable folder');
    const log = (text: string): void => io.out(`${text}\n`);
    const { results, analysis, baselineFile } = await run({ ...options, baseline, report, compareWithBaseline: false }, {
      log, error: (text) => io.log(`leakgate baseline: ${text}\n`), write: io.out, tty: process.stdout.isTTY === true, env: io.env, cwd: io.cwd,
    });
    const where = relative(io.cwd, baselineFile) || baselineFile;
    const problems = [
      ...(results.failure ? [`the run failed: ${results.failure.message}`] : []),
      ...judgedVerdicts(analysis)
        .filter((judged) => judged.verdict === 'leak' || judged.verdict === 'undecided')
        .map((judged) => `the verdict is ${judged.verdict} (${judged.label}: ${judged.message})`),
    ];
    if (problems.length > 0 && accept === null) {
      const code = results.failure && results.failure.kind !== 'unload-check' ? ExitCode.engineFailure : ExitCode.gateFailed;
      throw new LeakgateError(`baseline not written (${where} is unchanged): ${problems.join('; ')} — fix it, or pass --accept "REASON" to record it as accepted`, code);
    }
    const accepted = problems.length > 0 ? { reason: `${accept}: ${problems.join('; ')}`, at: new Date().toISOString() } : null;
    await writeBaseline(baselineFile, buildBaseline(results, analysis, accepted));
    log(`Baseline written: ${where}${accepted ? ` (accepted: ${accept})` : ''}`);
    return ExitCode.ok;
  },
};
