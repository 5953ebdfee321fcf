import type { RunFailure } from '../results/RunResults.js';
import { untrustedText } from '../untrustedText.js';
import type { AcceptedEngineSite, AcceptedFailure, Baseline } from './Baseline.js';
import { describeAcceptedFailure, judgeFailure } from './judgeFailure.js';

/** What a rewritten baseline keeps of the one it replaces, and the lines that say so. */
export interface KeptAcceptances {
  /** The replaced baseline's accepted engine sites, verbatim and in its order (they are written by hand). */
  engineSites: AcceptedEngineSite[];
  /** Its accepted failure when the new run failed exactly that way; else null. */
  failure: AcceptedFailure | null;
  /** One line per kind of thing kept or dropped, for the console. */
  lines: string[];
}

/**
 * The acceptances `baseline update` carries over from the baseline it replaces: what the team wrote by
 * hand or accepted with a reason is not the run's to forget. Accepted engine sites are kept as they are
 * (the gate still holds each to its rate); the accepted failure is kept only while the run still fails
 * exactly that way (a failure that no longer happens is dropped, and said so). Leak verdicts accepted
 * with --accept are not kept: a leak is accepted again on purpose, on the run that shows it.
 */
export function keptAcceptances(previous: Baseline | null, failure: RunFailure | null, where: string): KeptAcceptances {
  if (previous === null) return { engineSites: [], failure: null, lines: [] };
  const engineSites = previous.acceptedEngineSites ?? [];
  const lines =
    engineSites.length > 0
      ? [
          `Accepted engine sites kept from ${where}: ` +
            engineSites.map((site) => `${untrustedText(site.function)} (≤ ${site.maxBytesPerSwitch} B/switch)`).join(', '),
        ]
      : [];
  const judged = judgeFailure(failure, previous, where);
  if (judged.status === 'known') {
    lines.push(
      `Known failure kept from ${where}: ${untrustedText(describeAcceptedFailure(judged.accepted))} ` +
        `(accepted by ${untrustedText(judged.accepted.acceptedBy)})`,
    );
    return { engineSites, failure: judged.accepted, lines };
  }
  if (judged.status !== 'none' && judged.accepted) {
    const why = judged.status === 'gone' ? 'the run did not fail that way' : 'the run failed another way';
    lines.push(`Known failure of ${where} not kept (${untrustedText(describeAcceptedFailure(judged.accepted))}): ${why}`);
  }
  return { engineSites, failure: null, lines };
}
