import { usageError } from '../errors.js';
import { type RunFailure, engineFailureOf } from '../results/RunResults.js';
import type { AcceptedFailure } from './Baseline.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Failures of the engine itself: the only kinds a baseline may accept (validateBaseline reads no other). */
const ACCEPTABLE_KINDS: readonly RunFailure['kind'][] = ['crash', 'hang', 'engine-error'];

const UNACCEPTABLE: Partial<Record<RunFailure['kind'], string>> = {
  interrupted: 'an interrupted run',
  terminated: 'a terminated run',
  'unload-check': 'an unload-check failure',
  'write-failed': 'a failed results write',
  // The machine ran out of memory (a cgroup limit, other processes): not a property of the engine.
  'out-of-memory': 'an out-of-memory kill',
  killed: 'a kill by SIGKILL from outside the engine',
};

/** Whether a run's failure may be recorded as a known failure (--accept-failure): a crash, hang or engine error. */
export const isAcceptableFailure = (failure: RunFailure | null): boolean => failure !== null && ACCEPTABLE_KINDS.includes(failure.kind);

/**
 * The accepted failure a baseline records for a run that failed: its kind, step and signal, and as
 * pattern the failure's own words up to the first ": ", " ← " or " — " (what failed: "engine aborted in
 * chatllm_destroy (SIGABRT)", without the engine's stderr, the native stack, the iteration or the
 * model, which differ between machines and runs).
 */
export function acceptFailure(failure: RunFailure, reason: string, acceptedBy: string): AcceptedFailure {
  const engineFailure = engineFailureOf(failure);
  if (!engineFailure || !isAcceptableFailure(failure)) {
    throw usageError(
      `${UNACCEPTABLE[failure.kind] ?? `a ${failure.kind} failure`} cannot be accepted as a known failure: it is not the engine's (rerun ` +
        `it to the end, or fix the engine)`,
    );
  }
  const what = failure.message.split(/ — |: | ← /)[0]!.trim();
  return { kind: engineFailure.kind, step: failure.step, signal: failure.signal, messagePattern: escapeRegExp(what), reason, acceptedBy };
}
