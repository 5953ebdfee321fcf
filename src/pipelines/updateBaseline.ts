/**
 * `leakgate baseline update`, the whole pipeline: the run (judged without reading the baseline it
 * replaces), the checks that keep a bad run out of a baseline, and the one atomic write.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { RunOptions } from '../config/RunOptions.js';
import { ExitCode, LeakgateError, usageError } from '../errors.js';
import { checkWritableFile } from '../files/checkWritableFile.js';
import { acceptFailure, isAcceptableFailure } from '../gate/acceptFailure.js';
import { leakOfAcceptedSites } from '../gate/acceptEngineSites.js';
import type { Baseline } from '../gate/Baseline.js';
import { buildBaseline } from '../gate/buildBaseline.js';
import { judgedVerdicts, unconfirmedStop } from '../gate/evaluateGate.js';
import { keptAcceptances } from '../gate/keptAcceptances.js';
import { readBaseline } from '../gate/readBaseline.js';
import { writeBaseline } from '../gate/writeBaseline.js';
import type { LeakgateIO } from '../LeakgateIO.js';
import { engineFailureOf, isMachineFailure, signalStopExitCode } from '../results/RunResults.js';
import { run } from './run.js';

export interface BaselineOptions extends RunOptions {
  /** Baseline file to write. @default <baselinesDir>/<engine>/<platform>/<scenario>--<models>.json */
  baseline?: string;
  /** Also write the HTML report and SVG charts into this directory. @default no report */
  report?: string;
  /** Write the baseline of a run that leaked or failed, with this reason recorded. @default refuse */
  accept: string | null;
  /** Record the run's engine failure as known, with this reason. @default no known failure */
  acceptFailure: string | null;
  /** Who accepted the known failure. */
  acceptedBy: string;
}

/** Measures the configured run and writes its baseline; throws (exit 1, 2 or 3) when it must not. */
export async function updateBaseline(options: BaselineOptions, io: LeakgateIO): Promise<void> {
  const { accept, acceptFailure: acceptFailureReason, acceptedBy, ...runOptions } = options;
  // Where the baseline goes is checked now, not after the run it is taken from.
  if (options.baseline !== undefined)
    await checkWritableFile(resolve(io.cwd, options.baseline), 'baseline', 'pass --baseline FILE in a writable folder');
  const { results, analysis, baselineFile, resultsFile } = await run(
    // every refusal below names the run's failure in its one error line
    { ...runOptions, compareWithBaseline: false, failureOnStderr: false },
    io,
  );
  const where = shownPath(io.cwd, baselineFile);
  // The machine stopped the run (out of memory, a SIGKILL from outside, a failed write): no baseline
  // from it, accepted or not, and nothing to accept; one line with the failure's own fix, exit 4.
  if (isMachineFailure(results.failure)) {
    const kept =
      results.failure!.kind === 'write-failed' ? '' : `; the switches measured so far are kept in ${shownPath(io.cwd, resultsFile)}`;
    throw new LeakgateError(`baseline not written (${where} is unchanged): ${results.failure!.message}${kept}`, ExitCode.environment);
  }
  // Stopped by the user or the system (Ctrl-C, SIGTERM, SIGHUP): a run cut short is no baseline, even
  // with --accept (its verdicts would be undecided, and an accepted undecided passes the gate).
  const stopped = signalStopExitCode(results.failure);
  if (stopped !== null) throw new LeakgateError(`baseline not written (${where} is unchanged): ${results.failure!.message}`, stopped);
  // Stopped at --max-iterations before its verdicts held: not yet evidence, even with --accept.
  const unconfirmed = unconfirmedStop(results);
  if (unconfirmed !== null) {
    throw new LeakgateError(
      `baseline not written (${where} is unchanged): ${unconfirmed} — rerun with a larger --max-iterations`,
      ExitCode.gateFailed,
    );
  }
  if (acceptFailureReason !== null && !results.failure) {
    throw usageError(
      `baseline not written (${where} is unchanged): --accept-failure given but the run did not fail (measure the baseline without it)`,
    );
  }
  // What the replaced baseline accepted by hand or with a reason is carried over, not forgotten.
  const kept = keptAcceptances(await readPreviousBaseline(baselineFile, where, io), results.failure, where);
  const knownFailure =
    acceptFailureReason !== null && results.failure ? acceptFailure(results.failure, acceptFailureReason, acceptedBy) : kept.failure;
  const acceptedSites = (modelKey: string | null, isModel: boolean) =>
    isModel ? analysis.engineSites.filter((s) => s.modelKey === modelKey) : analysis.engineSites;
  const problems = [
    ...(results.failure && !knownFailure ? [`the run failed: ${results.failure.message}`] : []),
    // A run that stops at a known failure leaves its verdicts undecided: accepted with the failure.
    ...judgedVerdicts(analysis)
      .filter((judged) => judged.verdict === 'leak' || (judged.verdict === 'undecided' && !knownFailure))
      // A leak made only of the kept accepted sites, each within its rate, passes the gate: it is no problem here either.
      .filter(
        (judged) => !leakOfAcceptedSites(judged.evidence, acceptedSites(judged.modelKey, judged.key === judged.modelKey), kept.engineSites),
      )
      .map((judged) => `the verdict is ${judged.verdict} (${judged.label}: ${judged.message})`),
  ];
  if (problems.length > 0 && accept === null) {
    const engineFailure = engineFailureOf(results.failure) !== null;
    const code = engineFailure ? ExitCode.engineFailure : ExitCode.gateFailed;
    // A termination is the machine's too: never offered as known.
    const hint = isAcceptableFailure(results.failure)
      ? '--accept-failure "REASON" to record the failure as known'
      : engineFailure
        ? 'rerun it to the end'
        : '--accept "REASON" to record it as accepted';
    throw new LeakgateError(`baseline not written (${where} is unchanged): ${problems.join('; ')} — fix it, or pass ${hint}`, code);
  }
  const at = new Date().toISOString();
  const reasons = [
    ...(knownFailure ? [`known failure: ${knownFailure.messagePattern.replace(/\\(.)/g, '$1')}: ${knownFailure.reason}`] : []),
    ...(problems.length > 0 ? [`${accept}: ${problems.join('; ')}`] : []),
  ];
  const accepted = reasons.length > 0 ? { reason: reasons.join('; '), at, ...(knownFailure ? { failure: knownFailure } : {}) } : null;
  const baseline = buildBaseline(results, analysis, accepted);
  await writeBaseline(baselineFile, kept.engineSites.length > 0 ? { ...baseline, acceptedEngineSites: kept.engineSites } : baseline);
  for (const line of kept.lines) io.log(line);
  io.log(
    `Baseline written: ${where}${accept && problems.length > 0 ? ` (accepted: ${accept})` : ''}` +
      `${knownFailure ? ` (known failure accepted by ${acceptedBy}: ${knownFailure.reason})` : ''}`,
  );
}

/** A path as the user reads it: relative to the working directory when inside it, else absolute. */
function shownPath(cwd: string, path: string): string {
  const inside = relative(cwd, path);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

/**
 * The baseline being replaced, or null when there is none. One that cannot be read or is invalid is what
 * `baseline update` is there to fix: it is replaced, and the line says its acceptances are not kept.
 */
async function readPreviousBaseline(file: string, where: string, io: LeakgateIO): Promise<Baseline | null> {
  try {
    return await readBaseline(file);
  } catch (error) {
    if (!(error instanceof LeakgateError)) throw error;
    io.log(`Previous baseline ${where} not read (${error.message}): none of its accepted sites or failure kept`);
    return null;
  }
}
