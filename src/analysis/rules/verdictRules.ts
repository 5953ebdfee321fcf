import { FLAT_TAIL_SWITCHES, type SignalAssessment } from '../assessSignal.js';
import type { Verdict } from '../Verdict.js';
import { formatBytes } from '../../units.js';
import { exactCountLeakRule } from './exactCountRule.js';

/** One step of the verdict chain: the first rule (in verdictRules order) that matches decides. */
export interface VerdictRule {
  name: string;
  verdict: Verdict;
  matches(assessment: SignalAssessment): boolean;
  /** One line of evidence, prefixed with the signal name. */
  explain(assessment: SignalAssessment): string;
  /** For an undecided verdict: how many more switches would decide it. */
  moreSwitchesNeeded?(assessment: SignalAssessment): number;
}

/** "12.0 KiB/switch (95 % CI 11.0 KiB to 13.0 KiB) over 20 switches": the slope evidence in words. */
export function describeSlope(a: SignalAssessment): string {
  const ci = a.ci95Bytes ? ` (95 % CI ${formatBytes(a.ci95Bytes[0])} to ${formatBytes(a.ci95Bytes[1])})` : ' (no 95 % CI)';
  const after = a.warmupSwitches > 0 ? ` after ${a.warmupSwitches} warm-up switches` : '';
  return `${formatBytes(a.slopeBytesPerSwitch)}/switch${ci} over ${a.switchesUsed} switches${after}`;
}

/** What makes a leak: the slope's interval lies above the floor, or the series rose too steadily for noise. */
const hasLeakEvidence = (a: SignalAssessment): boolean => a.ciAboveFloor || a.steadyRise;

/** The leak evidence in words: which test it passed, with its figures. */
export function describeLeakEvidence(a: SignalAssessment): string {
  const reasons: string[] = [];
  if (a.ciAboveFloor) reasons.push(`the interval lies above the ${formatBytes(a.floorBytesPerSwitch)}/switch noise floor`);
  if (a.steadyRise) {
    reasons.push(
      `it rose at ${a.risingSteps} of ${a.switchesUsed} switches and fell at ${a.fallingSteps} ` +
        `(sign test p = ${a.steadyRiseP.toPrecision(2)})`,
    );
  }
  return `${describeSlope(a)}; ${reasons.join(', and ')}`;
}

/** Too few switches after warm-up for a 95 % interval: neither a leak nor clean can be claimed. */
const insufficientDataRule: VerdictRule = {
  name: 'insufficient-data',
  verdict: 'undecided',
  matches: (a) => a.switchesUsed < a.minimumSwitches || a.ci95Bytes === null,
  moreSwitchesNeeded: (a) => Math.max(1, a.minimumSwitches - a.switchesUsed),
  explain: (a) =>
    `${a.signal}: undecided, only ${a.switchesUsed} switches to measure, at least ${a.minimumSwitches} needed ` +
    `(run at least ${Math.max(1, a.minimumSwitches - a.switchesUsed)} more)`,
};

/**
 * A rise that has stopped is not a leak on the strength of the earlier rise. Level for at least
 * minimumSwitches since: a plateau (levelledOffRule); for FLAT_TAIL_SWITCHES up to that: undecided
 * (levellingOffRule), with how many more switches would tell.
 */
const levelledOffRule: VerdictRule = {
  name: 'levelled-off',
  verdict: 'plateau',
  matches: (a) => hasLeakEvidence(a) && a.flatTailSwitches >= a.minimumSwitches,
  explain: (a) =>
    `${a.signal}: plateau, rose ${formatBytes(a.slopeBytesPerSwitch)}/switch, then stayed level ` +
    `over the last ${a.flatTailSwitches} switches: retained and reused since, not a leak`,
};

const levellingOffRule: VerdictRule = {
  name: 'levelling-off',
  verdict: 'undecided',
  matches: (a) => hasLeakEvidence(a) && a.flatTailSwitches >= FLAT_TAIL_SWITCHES,
  moreSwitchesNeeded: (a) => a.minimumSwitches - a.flatTailSwitches,
  explain: (a) =>
    `${a.signal}: undecided, rose ${formatBytes(a.slopeBytesPerSwitch)}/switch, then stayed level over the last ` +
    `${a.flatTailSwitches} switches: a plateau if it stays level for ${a.minimumSwitches - a.flatTailSwitches} more, ` +
    'a leak if it rises again (run more iterations)',
};

/** Leak: after warm-up the slope's 95 % interval lies above the noise floor, or the rise is steady beyond chance. */
const leakRule: VerdictRule = {
  name: 'leak',
  verdict: 'leak',
  matches: hasLeakEvidence,
  explain: (a) => `${a.signal}: leak, ${describeLeakEvidence(a)}`,
};

/** Plateau: a measured warm-up rise, then no leak: memory retained early (allocator, pools) and reused. */
const plateauRule: VerdictRule = {
  name: 'plateau',
  verdict: 'plateau',
  matches: (a) => a.warmupSwitches > 0 && a.warmupGrowthBytes > a.levelToleranceBytes,
  explain: (a) =>
    `${a.signal}: plateau, rose ${formatBytes(a.warmupGrowthBytes)} over the first ${a.warmupSwitches} switches, ` +
    `then ${describeSlope(a)}, not above the ${formatBytes(a.floorBytesPerSwitch)}/switch noise floor: ` +
    'retained during warm-up and reused since, not a leak',
};

/** Clean: the fallback when neither a leak nor a warm-up plateau was measured. */
export const cleanRule: VerdictRule = {
  name: 'clean',
  verdict: 'clean',
  matches: () => true,
  explain: (a) =>
    `${a.signal}: clean, ${describeSlope(a)}, not above the ${formatBytes(a.floorBytesPerSwitch)}/switch noise floor`,
};

/**
 * The verdict chain for one signal, evaluated in order; the first match decides. A rise that has
 * levelled off is judged before the leak rule, so an old rise is not called a leak; the leak rule comes
 * before plateau so that a warm-up never hides a leak that continues after it. cleanRule always matches.
 */
export const verdictRules: readonly VerdictRule[] = [
  insufficientDataRule,
  exactCountLeakRule,
  levelledOffRule,
  levellingOffRule,
  leakRule,
  plateauRule,
  cleanRule,
];
