import type { GateOutcome } from '../gate/evaluateGate.js';
import { isMachineFailure, signalStopExitCode, type RunFailure, type RunResults } from '../results/RunResults.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';

/** Failures of the engine itself (exit 3); every other way a run ends early fails the gate (exit 1). */
const ENGINE_FAILURES: readonly RunFailure['kind'][] = ['crash', 'hang', 'engine-error'];

/**
 * `leakgate run`'s exit code. Interrupted or terminated beats an engine failure, which beats the
 * environment (a results write that failed, out of memory, a SIGKILL from outside: exit 4), which
 * beats a failed gate: the most specific cause wins. A signal gives the shell's 128 + its number (SIGINT 130, SIGTERM 143, SIGHUP 129).
 */
export function runExitCode(results: RunResults, gate: GateOutcome): ExitCodeValue {
  const failure = results.failure;
  const stopped = signalStopExitCode(failure);
  if (stopped !== null) return stopped;
  const environment = isMachineFailure(failure);
  return gateExitCode(results, gate, environment ? ExitCode.environment : undefined);
}

/**
 * `leakgate gate`'s exit code for a results file: 3 when the engine failed (unless the baseline accepts
 * that failure: a known failure, which the gate decides), else 1 when the gate failed (an interrupted,
 * terminated or unfinished run included: the gate never passes what it did not judge).
 */
export function gateExitCode(results: RunResults, gate: GateOutcome, otherFailure?: ExitCodeValue): ExitCodeValue {
  if (results.failure && ENGINE_FAILURES.includes(results.failure.kind) && gate.failure.status !== 'known') return ExitCode.engineFailure;
  if (otherFailure !== undefined) return otherFailure;
  return gate.passed ? ExitCode.ok : ExitCode.gateFailed;
}
