import type { GateOutcome } from '../gate/evaluateGate.js';
import type { RunResults } from '../results/RunResults.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';

/**
 * Interrupted beats an engine failure, which beats a failed gate: the most specific cause wins.
 * A failure the baseline accepts (a known failure) is no engine failure: the gate decides.
 */
export function runExitCode(results: RunResults, gate: GateOutcome): ExitCodeValue {
  if (results.failure?.kind === 'interrupted') return ExitCode.interrupted;
  if (results.failure && results.failure.kind !== 'unload-check' && gate.failure.status !== 'known') return ExitCode.engineFailure;
  return gate.passed ? ExitCode.ok : ExitCode.gateFailed;
}
