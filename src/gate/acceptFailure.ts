import { usageError } from '../errors.js';
import { type RunFailure, engineFailureOf } from '../results/RunResults.js';
import type { AcceptedFailure } from './Baseline.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The accepted failure a baseline records for a run that failed: its kind, step and signal, and as
 * pattern the failure's own words up to the first ": ", " ← " or " — " (what failed: "engine aborted in
 * chatllm_destroy (SIGABRT)", without the engine's stderr, the native stack, the iteration or the
 * model, which differ between machines and runs).
 */
export function acceptFailure(failure: RunFailure, reason: string, acceptedBy: string): AcceptedFailure {
  const engineFailure = engineFailureOf(failure);
  if (!engineFailure) {
    throw usageError(`an ${failure.kind === 'interrupted' ? 'interrupted run' : 'unload-check failure'} cannot be accepted as a known failure (rerun it to the end, or fix the engine)`);
  }
  const what = failure.message.split(/ — |: | ← /)[0]!.trim();
  return { kind: engineFailure.kind, step: failure.step, signal: failure.signal, messagePattern: escapeRegExp(what), reason, acceptedBy };
}
