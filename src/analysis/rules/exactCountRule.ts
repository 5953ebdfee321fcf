import type { SignalAssessment } from '../assessSignal.js';
import type { Signal } from '../Signal.js';
import { formatBytes } from '../../units.js';
// Type only: verdictRules imports this file to list the rule in its chain.
import type { VerdictRule } from './verdictRules.js';

/** Signals counted exactly (the allocation ledger): a rise of one byte is a fact, not noise. */
export const EXACT_SIGNALS: ReadonlySet<Signal> = new Set<Signal>(['engineHeap']);

/**
 * Switches in a row, after warm-up, that must each leave more engine memory than the one before for a
 * leak: CPython's `regrtest -R` calls a leak when each of its 4 measured runs (after 5 warm-up runs)
 * leaves at least one more block. Exact counts have no noise to average away, so 4 is enough.
 */
export const EXACT_RISES_FOR_LEAK = 4;

const describeSlope = (a: SignalAssessment): string =>
  `${formatBytes(a.slopeBytesPerSwitch)}/switch over ${a.switchesUsed} switches` +
  (a.warmupSwitches > 0 ? ` after ${a.warmupSwitches} warm-up switches` : '');

/**
 * An exact series that left exactly the same engine memory at the last minimumSwitches switches is
 * decided: nothing was kept per switch there, to the byte. A one-time allocation of a few bytes (a stdio
 * buffer, a string's first capacity) would otherwise keep an interval test over the whole window
 * undecided for dozens of switches, since the floor of an exact count is under a byte. These rules come
 * after the interval rules (clean, plateau), so a run long enough for the interval keeps its verdict.
 */
const levelAtEnd = (a: SignalAssessment): boolean => EXACT_SIGNALS.has(a.signal) && a.trailingLevelSteps >= a.minimumSwitches;
/** It rose during a warm-up (a step the warm-up detector calls one): retained once, then reused. */
const warmedUp = (a: SignalAssessment): boolean => a.warmupGrowthBytes > 0;

/** Clean on an exact count: level to the byte over the last minimumSwitches switches, after no warm-up. */
export const exactCountCleanRule: VerdictRule = {
  name: 'exact-count-clean',
  verdict: 'clean',
  matches: (a) => levelAtEnd(a) && !warmedUp(a),
  explain: (a) =>
    `${a.signal}: clean, each of the last ${a.trailingLevelSteps} switches left exactly the same engine memory ` +
    `(exact counts${a.windowRiseBytes > 0 ? `; ${formatBytes(a.windowRiseBytes)} kept once before that` : ''}), ${describeSlope(a)}`,
};

/** Plateau on an exact count: it rose during warm-up, then stayed level to the byte over the last minimumSwitches switches. */
export const exactCountPlateauRule: VerdictRule = {
  name: 'exact-count-plateau',
  verdict: 'plateau',
  matches: (a) => levelAtEnd(a) && warmedUp(a),
  explain: (a) =>
    `${a.signal}: plateau, rose ${formatBytes(a.windowRiseBytes + a.warmupGrowthBytes)} and then each of the last ` +
    `${a.trailingLevelSteps} switches left exactly the same engine memory (exact counts): retained once and reused, not a leak`,
};

/**
 * An exact series that never fell after warm-up and rose at EXACT_RISES_FOR_LEAK switches or more is a
 * leak too, unless it has stayed level since (a pool that filled): a block leaked every other load rises
 * at half the switches, and nothing on an exact count gives it back.
 */
const risesWithoutFall = (a: SignalAssessment): boolean =>
  a.fallingSteps === 0 && a.risingSteps >= EXACT_RISES_FOR_LEAK && a.flatTailSwitches < a.minimumSwitches;

/**
 * Leak on an exact count (engine heap): the last EXACT_RISES_FOR_LEAK switches each left more memory, or
 * the series rose at that many switches and never fell. The size is the slope, in bytes per switch.
 */
export const exactCountLeakRule: VerdictRule = {
  name: 'exact-count-leak',
  verdict: 'leak',
  matches: (a) => EXACT_SIGNALS.has(a.signal) && (a.trailingRisingSteps >= EXACT_RISES_FOR_LEAK || risesWithoutFall(a)),
  explain: (a) =>
    a.trailingRisingSteps >= EXACT_RISES_FOR_LEAK
      ? `${a.signal}: leak, each of the last ${a.trailingRisingSteps} switches left more engine memory than the one before ` +
        `(exact counts; ${EXACT_RISES_FOR_LEAK} in a row make a leak), ${describeSlope(a)}`
      : `${a.signal}: leak, engine memory rose at ${a.risingSteps} of ${a.switchesUsed} switches and never fell ` +
        `(exact counts), ${describeSlope(a)}`,
};
