import { relative, resolve } from 'node:path';
import { checkWritableFile } from '../../files/checkWritableFile.js';
import { acceptFailure } from '../../gate/acceptFailure.js';
import { buildBaseline } from '../../gate/buildBaseline.js';
import { judgedVerdicts } from '../../gate/evaluateGate.js';
import { writeBaseline } from '../../gate/writeBaseline.js';
import { run } from '../../pipelines/run.js';
import type { Command } from '../Command.js';
import { ExitCode, LeakgateError, usageError } from '../../errors.js';
import { parseRunArgs } from './run.js';
import { engineFailureOf } from '../../results/RunResults.js';

const USAGE = `Usage: leakgate baseline update [run options] [--accept "REASON"] [--accept-failure "REASON" [--accepted-by NAME]] [--baseline FILE]
       npm run baseline:update -- [same options]

Runs the configured scenario (the same resolution as leakgate run: --lib/LIBCHATLLM,
--model/LEAKGATE_MODELS, --iterations/ITERATIONS ...) and writes its baseline atomically to
baselines/<engine>/<platform>/<scenario>--<models>.json (or --baseline FILE): measured metrics,
tolerances, verdicts and provenance, with sorted keys so diffs review well.

It refuses to write from a run that crashed, hung or was interrupted, or whose verdict is leak or
whose unload checks failed — unless --accept "REASON" is given; the reason is recorded in the file.

--accept-failure "REASON" records the run's engine failure (crash, hang or engine error: its kind,
step, signal and message) as a known failure: the gate then passes runs that fail the same way,
fails on any other failure, and says when the known failure is gone. --accepted-by NAME (default
$GITHUB_ACTOR, else $USER) records who accepted it.`;

/** Removes "--flag VALUE" from args and returns VALUE (null when absent); a missing value is a usage error. */
function takeValue(args: string[], flag: string, example: string): string | null {
  const at = args.indexOf(flag);
  if (at < 0) return null;
  const value = args[at + 1] ?? '';
  if (value.trim() === '' || value.startsWith('--')) throw usageError(`${flag} needs a value, e.g. ${flag} ${example}`);
  args.splice(at, 2);
  return value;
}

export const baselineCommand: Command = {
  name: 'baseline',
  summary: 'baseline update: run the configured scenario and write its baseline (npm run baseline:update)',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'update') throw usageError(`unknown baseline sub-command "${sub ?? ''}" (use leakgate baseline update)`);
    const acceptFailureReason = takeValue(rest, '--accept-failure', '"upstream PR #111 open"');
    const acceptedBy = takeValue(rest, '--accepted-by', 'alice') ?? io.env.GITHUB_ACTOR ?? io.env.USER ?? 'unknown';
    const accept = takeValue(rest, '--accept', '"upstream leak #123, fixed in the next bump"');
    const { json: _json, baseline, report, ...options } = parseRunArgs(rest);
    // Where the baseline goes is checked now, not after the run it is taken from.
    if (baseline !== undefined) await checkWritableFile(resolve(io.cwd, baseline), 'baseline', 'pass --baseline FILE in a writable folder');
    const log = (text: string): void => io.out(`${text}\n`);
    const { results, analysis, baselineFile } = await run({ ...options, baseline, report, compareWithBaseline: false }, {
      log, error: (text) => io.log(`leakgate baseline: ${text}\n`), write: io.out, tty: process.stdout.isTTY === true, env: io.env, cwd: io.cwd,
    });
    const where = relative(io.cwd, baselineFile) || baselineFile;
    if (acceptFailureReason !== null && !results.failure) {
      throw usageError(`baseline not written (${where} is unchanged): --accept-failure given but the run did not fail (measure the baseline without it)`);
    }
    const knownFailure = acceptFailureReason !== null && results.failure ? acceptFailure(results.failure, acceptFailureReason, acceptedBy) : null;
    const problems = [
      ...(results.failure && !knownFailure ? [`the run failed: ${results.failure.message}`] : []),
      // A run that stops at a known failure leaves its verdicts undecided: accepted with the failure.
      ...judgedVerdicts(analysis)
        .filter((judged) => judged.verdict === 'leak' || (judged.verdict === 'undecided' && !knownFailure))
        .map((judged) => `the verdict is ${judged.verdict} (${judged.label}: ${judged.message})`),
    ];
    if (problems.length > 0 && accept === null) {
      const engineFailure = engineFailureOf(results.failure) !== null;
      const code = engineFailure ? ExitCode.engineFailure : ExitCode.gateFailed;
      const hint = engineFailure ? '--accept-failure "REASON" to record the failure as known' : '--accept "REASON" to record it as accepted';
      throw new LeakgateError(`baseline not written (${where} is unchanged): ${problems.join('; ')} — fix it, or pass ${hint}`, code);
    }
    const at = new Date().toISOString();
    const reasons = [
      ...(knownFailure ? [`known failure: ${knownFailure.messagePattern.replace(/\\(.)/g, '$1')}: ${knownFailure.reason}`] : []),
      ...(problems.length > 0 ? [`${accept}: ${problems.join('; ')}`] : []),
    ];
    const accepted = reasons.length > 0 ? { reason: reasons.join('; '), at, ...(knownFailure ? { failure: knownFailure } : {}) } : null;
    await writeBaseline(baselineFile, buildBaseline(results, analysis, accepted));
    log(`Baseline written: ${where}${accept && problems.length > 0 ? ` (accepted: ${accept})` : ''}${knownFailure ? ` (known failure accepted by ${acceptedBy}: ${knownFailure.reason})` : ''}`);
    return ExitCode.ok;
  },
};
