import type { ModelEngineSites } from '../analysis/engineSiteGrowth.js';
import type { SignalEvidence } from '../analysis/SignalEvidence.js';
import type { AcceptedEngineSite } from './Baseline.js';

/** Share of the engine-heap slope the accepted sites must cover for a leak to be theirs alone. */
export const ACCEPTED_SITES_MIN_COVERAGE = 0.9;

/** "chatllm::X::push" matches the site's full name "chatllm::X::push(std::string const&)". */
const matches = (name: string | null, accepted: AcceptedEngineSite): boolean =>
  name !== null && (name === accepted.function || name.startsWith(`${accepted.function}(`));

/**
 * Whether an engine-heap leak is wholly made of sites the baseline accepts: every site that grows is
 * accepted by name and grows no faster than its accepted bytes per switch, and together they cover at
 * least ACCEPTED_SITES_MIN_COVERAGE of the slope (so that growth no site explains is never accepted).
 * Any other growing site, or a faster one, fails the gate as before.
 */
export function leakOfAcceptedSites(
  evidence: SignalEvidence | undefined,
  sites: readonly ModelEngineSites[],
  accepted: readonly AcceptedEngineSite[],
): boolean {
  if (evidence?.signal !== 'engineHeap' || evidence.verdict !== 'leak' || accepted.length === 0) return false;
  const growing = sites.flatMap((model) => model.sites);
  // A growing site past the listed ones cannot be shown to be accepted.
  if (growing.length === 0 || sites.some((model) => model.unlisted.sites > 0)) return false;
  const allAccepted = growing.every((site) =>
    accepted.some((a) => matches(site.function, a) && site.bytesPerSwitch <= a.maxBytesPerSwitch),
  );
  const covered = growing.reduce((sum, site) => sum + site.bytesPerSwitch, 0);
  return allAccepted && covered >= ACCEPTED_SITES_MIN_COVERAGE * evidence.slopeBytesPerSwitch;
}
