import { type RunFailure, engineFailureOf } from '../results/RunResults.js';
import type { AcceptedFailure, Baseline } from './Baseline.js';

/**
 * What the gate makes of how a run ended, given the baseline's accepted failure:
 * - `none`: the run did not fail and no failure is accepted;
 * - `known`: it failed exactly as accepted (passes; `line` says so and why);
 * - `unexpected`: it failed in a way nobody accepted (fails);
 * - `gone`: a failure is accepted but the run did not fail that way or at all (fails: the baseline no
 *   longer describes the engine and holds no metrics past the failure; `line` says how to update it).
 * An interruption is none of these: it is reported as interrupted, never as known.
 * Unload-check aborts are judged by their findings, not here (`none`).
 */
export type FailureJudgement =
  | { status: 'none' }
  | { status: 'known'; failure: RunFailure; accepted: AcceptedFailure; line: string }
  | { status: 'unexpected'; failure: RunFailure; accepted: AcceptedFailure | null; line: string }
  | { status: 'gone'; failure: null; accepted: AcceptedFailure; line: string };

/**
 * The accepted failure's words as literal text: the pattern is stored regex-escaped (acceptFailure), and is
 * matched as the text it escapes, never compiled: a baseline is a file anyone can edit, and a regular
 * expression from it ("(a+)+$") could take the gate for ever.
 */
export const acceptedFailureText = (messagePattern: string): string => messagePattern.replace(/\\(.)/g, '$1');

/** Does this failure match the accepted one: same kind, step and signal, and the message holds the accepted words. */
export function matchesAcceptedFailure(failure: RunFailure, accepted: AcceptedFailure): boolean {
  return (
    failure.kind === accepted.kind &&
    failure.step === accepted.step &&
    failure.signal === accepted.signal &&
    failure.message.includes(acceptedFailureText(accepted.messagePattern))
  );
}

/** "chatllm_destroy aborts (SIGABRT) at unload" — the accepted failure in a few words. */
export function describeAcceptedFailure(accepted: AcceptedFailure): string {
  const what = acceptedFailureText(accepted.messagePattern);
  return (
    `${what}${accepted.signal && !what.includes(accepted.signal) ? ` (${accepted.signal})` : ''}` +
    `${accepted.step ? ` at ${accepted.step}` : ''}`
  );
}

/**
 * The one place that decides whether a run's failure is the baseline's known failure. Callers that
 * fail the gate on failed or incomplete runs make `known` their single exception.
 */
export function judgeFailure(failure: RunFailure | null, baseline: Baseline | null, baselineFile: string): FailureJudgement {
  const accepted = baseline?.accepted?.failure ?? null;
  const judged = engineFailureOf(failure);
  if (failure?.kind === 'interrupted') return { status: 'none' };
  if (judged && accepted && matchesAcceptedFailure(judged, accepted)) {
    return {
      status: 'known',
      failure: judged,
      accepted,
      line:
        `known failure: ${describeAcceptedFailure(accepted)}; accepted in ${baselineFile} by ` +
        `${accepted.acceptedBy}: ${accepted.reason}`,
    };
  }
  if (judged) {
    return {
      status: 'unexpected',
      failure: judged,
      accepted,
      line: accepted
        ? `${judged.message} — not the accepted failure (${describeAcceptedFailure(accepted)}, ${baselineFile})`
        : judged.message,
    };
  }
  if (accepted) {
    return {
      status: 'gone',
      failure: null,
      accepted,
      line:
        `fixed upstream: the accepted failure (${describeAcceptedFailure(accepted)}) did not happen — remove the accepted failure ` +
        `from ${baselineFile} and measure a baseline (npx leakgate baseline update)`,
    };
  }
  return { status: 'none' };
}
