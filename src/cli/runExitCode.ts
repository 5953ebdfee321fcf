import type { GateOutcome } from '../gate/evaluateGate.js';
import type { RunResults } from '../results/RunResults.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';

/** Interrupted beats an engine failure, which beats a failed gate: the most specific cause wins. */
export function runExitCode(results: RunResults, gate: GateOutcome): ExitCodeValue {
  if (results.failure?.kind === 'interrupted') return ExitCode.interrupted;
  if (results.failure && results.failure.kind !== 'unload-check') return ExitCode.engineFailure;
  return gate.passed ? ExitCode.ok : ExitCode.gateFailed;
}
