import { FLAT_TAIL_SWITCHES } from '../assessSignal.js';
import { formatBytes } from '../../units.js';
import { hasLeakEvidence } from './leakEvidence.js';
import type { VerdictRule } from './VerdictRule.js';

/**
 * A rise that has stopped is not a leak on the strength of the earlier rise. Level for at least
 * minimumSwitches since: a plateau (levelledOffRule); for FLAT_TAIL_SWITCHES up to that: undecided
 * (levellingOffRule), with how many more switches would tell.
 */
export const levelledOffRule: VerdictRule = {
  name: 'levelled-off',
  verdict: 'plateau',
  matches: (a) => hasLeakEvidence(a) && a.flatTailSwitches >= a.minimumSwitches,
  explain: (a) =>
    `${a.signal}: plateau, rose ${formatBytes(a.slopeBytesPerSwitch)}/switch, then stayed level ` +
    `over the last ${a.flatTailSwitches} switches: retained and reused since, not a leak`,
};

export const levellingOffRule: VerdictRule = {
  name: 'levelling-off',
  verdict: 'undecided',
  matches: (a) => hasLeakEvidence(a) && a.flatTailSwitches >= FLAT_TAIL_SWITCHES,
  moreSwitchesNeeded: (a) => a.minimumSwitches - a.flatTailSwitches,
  explain: (a) =>
    `${a.signal}: undecided, rose ${formatBytes(a.slopeBytesPerSwitch)}/switch, then stayed level over the last ` +
    `${a.flatTailSwitches} switches: a plateau if it stays level for ${a.minimumSwitches - a.flatTailSwitches} more, ` +
    'a leak if it rises again (run more iterations)',
};
