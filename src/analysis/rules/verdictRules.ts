import { FLAT_TAIL_SWITCHES, switchesToDecide, type SignalAssessment } from '../assessSignal.js';
import type { Verdict } from '../Verdict.js';
import { formatBytes } from '../../units.js';
import { exactCountCleanRule, exactCountLeakRule, exactCountPlateauRule } from './exactCountRule.js';

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
  matches: (a) => hasLeakEvidence(a) && a.flatTailSwitches >= a.minimumSwitches && a.tailBelowFloor,
  explain: (a) =>
    `${a.signal}: plateau, rose ${formatBytes(a.slopeBytesPerSwitch)}/switch, then stayed level ` +
    `over the last ${a.flatTailSwitches} switches (${describeInterval(a.tailCi95Bytes)}, below the ` +
    `${formatBytes(a.cleanFloorBytesPerSwitch)}/switch noise floor): retained and reused since, not a leak`,
};

/** More switches a level tail needs before its interval can fall below the floor. */
function tailSwitchesNeeded(a: SignalAssessment): number {
  if (a.flatTailSwitches < a.minimumSwitches || a.tailCi95Bytes === null) return Math.max(1, a.minimumSwitches - a.flatTailSwitches);
  return switchesToDecide({
    ...a,
    switchesUsed: a.flatTailSwitches,
    slopeBytesPerSwitch: (a.tailCi95Bytes[0] + a.tailCi95Bytes[1]) / 2,
    ci95Bytes: a.tailCi95Bytes,
  });
}

const levellingOffRule: VerdictRule = {
  name: 'levelling-off',
  verdict: 'undecided',
  matches: (a) => hasLeakEvidence(a) && a.flatTailSwitches >= FLAT_TAIL_SWITCHES,
  moreSwitchesNeeded: tailSwitchesNeeded,
  explain: (a) =>
    `${a.signal}: undecided, rose ${formatBytes(a.slopeBytesPerSwitch)}/switch, then stayed level over the last ` +
    `${a.flatTailSwitches} switches: a plateau if it stays level for ${tailSwitchesNeeded(a)} more, ` +
    'a leak if it rises again (run more iterations)',
};

/** Leak: after warm-up the slope's 95 % interval lies above the noise floor, or the rise is steady beyond chance. */
const leakRule: VerdictRule = {
  name: 'leak',
  verdict: 'leak',
  matches: hasLeakEvidence,
  explain: (a) => `${a.signal}: leak, ${describeLeakEvidence(a)}`,
};

/** "95 % CI −1.0 KiB to 2.0 KiB" (or "no 95 % CI"). */
function describeInterval(ci: readonly [number, number] | null): string {
  return ci ? `95 % CI ${formatBytes(ci[0])} to ${formatBytes(ci[1])}` : 'no 95 % CI';
}

/**
 * Plateau: a measured warm-up rise, then a level whose slope's 95 % interval lies below the noise floor
 * (the equivalence test): memory retained early (allocator, pools) and reused since.
 */
const plateauRule: VerdictRule = {
  name: 'plateau',
  verdict: 'plateau',
  matches: (a) => a.warmupSwitches > 0 && a.warmupGrowthBytes > a.levelToleranceBytes && a.ciBelowFloor,
  explain: (a) =>
    `${a.signal}: plateau, rose ${formatBytes(a.warmupGrowthBytes)} over the first ${a.warmupSwitches} switches, ` +
    `then ${describeSlope(a)}, below the ${formatBytes(a.cleanFloorBytesPerSwitch)}/switch noise floor: ` +
    'retained during warm-up and reused since, not a leak',
};

/**
 * Clean: the slope's whole 95 % interval lies below the noise floor (the equivalence test, the mirror
 * of the leak test): whatever it keeps per switch is less than the floor, at 95 % confidence.
 */
const cleanRule: VerdictRule = {
  name: 'clean',
  verdict: 'clean',
  matches: (a) => a.ciBelowFloor,
  explain: (a) => `${a.signal}: clean, ${describeSlope(a)}, below the ${formatBytes(a.cleanFloorBytesPerSwitch)}/switch noise floor`,
};

/**
 * Unproven: neither test passed. The interval reaches over the floor, so a leak of a floor's worth per
 * switch is not ruled out, yet it does not lie above the floor either. Undecided, with how many more
 * switches would let the interval clear the floor one way or the other (switchesToDecide).
 */
const unprovenRule: VerdictRule = {
  name: 'unproven',
  verdict: 'undecided',
  matches: () => true,
  moreSwitchesNeeded: (a) => unprovenSwitchesNeeded(a),
  explain: (a) =>
    `${a.signal}: undecided, ${describeSlope(a)}: the interval reaches over the ` +
    `${formatBytes(a.cleanFloorBytesPerSwitch)}/switch noise floor ${describeLeakFloor(a)}, so neither a leak nor its ` +
    `absence is shown (run at least ${unprovenSwitchesNeeded(a)} more switches)`,
};

/** insufficientDataRule comes first, so an assessment that reaches unprovenRule has an interval. */
const unprovenSwitchesNeeded = (a: SignalAssessment): number => switchesToDecide({ ...a, ci95Bytes: a.ci95Bytes! });

/** The leak floor, named when the noise makes it higher than the clean floor. */
const describeLeakFloor = (a: SignalAssessment): string =>
  a.floorBytesPerSwitch > a.cleanFloorBytesPerSwitch
    ? `and does not lie above the ${formatBytes(a.floorBytesPerSwitch)}/switch a leak must clear (the steps' spread)`
    : 'and does not lie above it';

/**
 * The verdict chain for one signal, evaluated in order; the first match decides. A rise that has
 * levelled off is judged before the leak rule, so an old rise is not called a leak; the leak rule comes
 * before plateau so that a warm-up never hides a leak that continues after it. Plateau and clean each
 * need their own evidence (the interval below the floor); without it, unprovenRule (which always
 * matches, after insufficientDataRule has made sure there is an interval) says undecided.
 */
export const verdictRules: readonly VerdictRule[] = [
  insufficientDataRule,
  exactCountLeakRule,
  levelledOffRule,
  levellingOffRule,
  leakRule,
  plateauRule,
  cleanRule,
  exactCountCleanRule,
  exactCountPlateauRule,
  unprovenRule,
];
