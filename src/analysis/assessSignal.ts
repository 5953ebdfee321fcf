import { detectWarmup, WARMUP_MINIMUM_STEP_BYTES } from './detectWarmup.js';
import { MINIMUM_FLOOR_BYTES_PER_SWITCH, noiseFloor } from './noiseFloor.js';
import type { Signal } from './Signal.js';
import { fallSigma, robustNoiseSigma, stepSigma, steps } from './noiseSigma.js';
import { signTestP } from './statistics.js';
import { theilSen } from './theilSen.js';

/** Fewest switches after warm-up over which a leak may be called (5 samples: the least for a 95 % CI). */
export const MINIMUM_SWITCHES_FOR_LEAK = 4;

/**
 * A steady rise is a leak when a sign test over the post-warm-up changes says it would happen by chance
 * less than once in 1000 series of symmetric noise (e.g. 10 rises and no fall). It needs no step size,
 * so it still sees a climb whose changes vary with its size, which widens a noise floor built from
 * their spread. At the same level as the floor's own false alarms (≈ 0.1 % of allocator walks).
 */
export const STEADY_RISE_P = 0.001;

/** Trailing switches that must stay flat, after a rise, before a leak is in doubt (see flatTailSwitches). */
export const FLAT_TAIL_SWITCHES = 3;

/** The measured facts about one signal of one model, which the verdict rules read. */
export interface SignalAssessment {
  signal: Signal;
  /** Samples in the series (the baseline before the first load counts as one when present). */
  pointCount: number;
  /** Leading switches cut as warm-up (see detectWarmup). */
  warmupSwitches: number;
  /** Rise during warm-up in bytes (0 without warm-up). */
  warmupGrowthBytes: number;
  /** How far below the plateau a warm-up sample had to be, in bytes. */
  levelToleranceBytes: number;
  /** Switches spanned by the window the slope was fitted over (samples in it minus one). */
  switchesUsed: number;
  /** Theil–Sen slope over the post-warm-up window. */
  slopeBytesPerSwitch: number;
  /** 95 % CI of that slope; null when the window is too short for one. */
  ci95Bytes: readonly [number, number] | null;
  floorBytesPerSwitch: number;
  /** The least either floor can be (MINIMUM_FLOOR_BYTES_PER_SWITCH[signal] or the override). */
  minimumFloorBytesPerSwitch: number;
  /** The clean test's margin (noiseFloor's cleanFloorBytesPerSwitch): ≤ floorBytesPerSwitch, never grown by a climb. */
  cleanFloorBytesPerSwitch: number;
  /** Scatter of the window around its line (robustNoiseSigma). */
  residualSigmaBytes: number;
  /** Spread of the window's switch-to-switch changes (stepSigma). */
  stepSigmaBytes: number;
  minimumSwitches: number;
  /** Post-warm-up changes above +minimum floor (rises) and below −minimum floor (falls); the rest are ties. */
  risingSteps: number;
  fallingSteps: number;
  /** signTestP(risingSteps, fallingSteps). */
  steadyRiseP: number;
  /** The interval lies wholly above the floor. */
  ciAboveFloor: boolean;
  /**
   * The interval lies wholly below the clean floor: the equivalence test, the mirror of ciAboveFloor.
   * Only this is evidence that the signal does not leak (by a floor's worth per switch or more).
   */
  ciBelowFloor: boolean;
  /** The changes rise too consistently for noise (steadyRiseP < STEADY_RISE_P) and the slope clears the minimum floor. */
  steadyRise: boolean;
  /** Trailing switches over which the series stayed level after rising (see flatTailSwitches). */
  flatTailSwitches: number;
  /** 95 % CI of the slope over those trailing switches; null when fewer than minimumSwitches of them. */
  tailCi95Bytes: readonly [number, number] | null;
  /** That interval lies wholly below the clean floor: the level tail passes the equivalence test. */
  tailBelowFloor: boolean;
  /** The last changes of the post-warm-up window that each rose above the minimum floor, in a row. */
  trailingRisingSteps: number;
  /** The last changes of the post-warm-up window that were exactly zero, in a row (exact counts only mean something). */
  trailingLevelSteps: number;
  /** The post-warm-up window's last value minus its first, in bytes. */
  windowRiseBytes: number;
}

export interface AssessOptions {
  /** Default MINIMUM_SWITCHES_FOR_LEAK. */
  minimumSwitches?: number;
  /** Overrides MINIMUM_FLOOR_BYTES_PER_SWITCH[signal]. */
  minimumFloorBytesPerSwitch?: number;
  /** Overrides WARMUP_MINIMUM_STEP_BYTES[signal]. */
  minimumStepBytes?: number;
}

/**
 * Measures one signal of one model: warm-up (detectWarmup), then the Theil–Sen slope and its 95 % CI
 * over the rest, then the noise floor from that window's level and step scatter (noiseFloor).
 * `values` holds one sample per switch, oldest first (optionally preceded by the baseline before the
 * first load); needs ≥ 2 samples.
 */
export function assessSignal(signal: Signal, values: readonly number[], options: AssessOptions = {}): SignalAssessment {
  if (values.length < 2) throw new RangeError(`assessSignal: ${signal} has ${values.length} samples, needs 2`);
  const minimumSwitches = options.minimumSwitches ?? MINIMUM_SWITCHES_FOR_LEAK;
  const warmup = detectWarmup(values, {
    minTailPoints: minimumSwitches + 1,
    minimumStepBytes: options.minimumStepBytes ?? WARMUP_MINIMUM_STEP_BYTES[signal],
  });
  const start = warmup.warmupPoints;
  const ys = values.slice(start);
  const xs = ys.map((_, j) => start + j);
  const fit = theilSen(xs, ys);
  const residuals = ys.map((y, j) => y - (fit.intercept + fit.slope * (start + j)));
  const sigma = robustNoiseSigma(ys, residuals);
  const stepNoise = stepSigma(ys);
  const floor = noiseFloor(
    signal,
    { levelSigmaBytes: sigma, stepSigmaBytes: stepNoise, points: ys.length, fallSigmaBytes: fallSigma(ys) },
    options.minimumFloorBytesPerSwitch ?? MINIMUM_FLOOR_BYTES_PER_SWITCH[signal],
  );
  const minimumFloor = floor.minimumBytesPerSwitch;
  const changes = steps(ys);
  const risingSteps = changes.filter((d) => d > minimumFloor).length;
  const fallingSteps = changes.filter((d) => d < -minimumFloor).length;
  const steadyRiseP = signTestP(risingSteps, fallingSteps);
  const levelTail = flatTailSwitches(values, fit.slope);
  // A tail no longer than a level stretch the window already showed between two rises is no sign the
  // rise stopped: a leak every P-th load is level for P − 1 switches between its steps.
  const flatTail = levelTail > longestLevelGap(changes.slice(0, Math.max(0, changes.length - levelTail)), fit.slope) ? levelTail : 0;
  const tailCi95 = flatTail >= minimumSwitches ? tailInterval(values, flatTail) : null;
  return {
    signal,
    pointCount: values.length,
    warmupSwitches: start,
    warmupGrowthBytes: warmup.growthBytes,
    levelToleranceBytes: warmup.levelToleranceBytes,
    switchesUsed: ys.length - 1,
    slopeBytesPerSwitch: fit.slope,
    ci95Bytes: fit.ci95,
    floorBytesPerSwitch: floor.floorBytesPerSwitch,
    minimumFloorBytesPerSwitch: floor.minimumBytesPerSwitch,
    cleanFloorBytesPerSwitch: floor.cleanFloorBytesPerSwitch,
    residualSigmaBytes: sigma,
    stepSigmaBytes: stepNoise,
    minimumSwitches,
    risingSteps,
    fallingSteps,
    steadyRiseP,
    ciAboveFloor: fit.ci95 !== null && fit.ci95[0] > floor.floorBytesPerSwitch,
    ciBelowFloor: fit.ci95 !== null && fit.ci95[1] < floor.cleanFloorBytesPerSwitch,
    steadyRise: steadyRiseP < STEADY_RISE_P && fit.slope > minimumFloor,
    flatTailSwitches: flatTail,
    tailCi95Bytes: tailCi95,
    tailBelowFloor: tailCi95 !== null && tailCi95[1] < floor.cleanFloorBytesPerSwitch,
    trailingRisingSteps: changes.length - 1 - changes.findLastIndex((d) => d <= minimumFloor),
    trailingLevelSteps: changes.length - 1 - changes.findLastIndex((d) => d !== 0),
    windowRiseBytes: (ys.at(-1) as number) - (ys[0] as number),
  };
}

/** The Theil–Sen 95 % CI of the slope over the last `switches` switches (switches + 1 samples). */
function tailInterval(values: readonly number[], switches: number): readonly [number, number] | null {
  const start = values.length - 1 - switches;
  const ys = values.slice(start);
  return theilSen(
    ys.map((_, j) => start + j),
    ys,
  ).ci95;
}

/** What switchesToDecide reads: a slope, its interval and the two floors, over some switches. */
export interface DecisionState {
  switchesUsed: number;
  slopeBytesPerSwitch: number;
  ci95Bytes: readonly [number, number];
  cleanFloorBytesPerSwitch: number;
  floorBytesPerSwitch: number;
  /** The floors never go below this (MINIMUM_FLOOR_BYTES_PER_SWITCH). */
  minimumFloorBytesPerSwitch: number;
}

/**
 * How many more switches would decide a slope, were the series to go on as it did: the fewest k for
 * which, over m + k switches, the interval lies wholly below the clean floor or wholly above the leak
 * floor. The slope stays; the interval's half-widths shrink as (m / (m + k))^1.5 (a Theil–Sen slope's
 * error under independent scatter falls as 1/√Sxx ∝ m^-1.5), and the floors' data terms as
 * (m / (m + k))^0.5 (their walk term, the larger one, falls as 1/√m), down to the minimum floor. At least
 * 1; at most MAXIMUM_MORE_SWITCHES_FACTOR · m, which a slope sitting on a floor can need.
 */
export function switchesToDecide(state: DecisionState): number {
  const m = Math.max(1, state.switchesUsed);
  const slope = state.slopeBytesPerSwitch;
  const upperHalf = Math.max(0, state.ci95Bytes[1] - slope);
  const lowerHalf = Math.max(0, slope - state.ci95Bytes[0]);
  const limit = MAXIMUM_MORE_SWITCHES_FACTOR * m;
  for (let k = 1; k < limit; k++) {
    const ratio = m / (m + k);
    const widthScale = ratio ** 1.5;
    const floorScale = Math.sqrt(ratio);
    const cleanFloor = Math.max(state.minimumFloorBytesPerSwitch, state.cleanFloorBytesPerSwitch * floorScale);
    const leakFloor = Math.max(state.minimumFloorBytesPerSwitch, state.floorBytesPerSwitch * floorScale);
    if (slope + upperHalf * widthScale < cleanFloor || slope - lowerHalf * widthScale > leakFloor) return k;
  }
  return limit;
}

/** switchesToDecide looks this many times the switches already run ahead: past that, more of the same will not tell. */
const MAXIMUM_MORE_SWITCHES_FACTOR = 10;

/**
 * The longest run of level changes between two rises (a change of at least half what the slope predicts,
 * as in flatTailSwitches): a staircase leak's period less one. 0 when no two rises are apart.
 */
export function longestLevelGap(changes: readonly number[], slopeBytesPerSwitch: number): number {
  const half = 0.5 * Math.max(slopeBytesPerSwitch, 0);
  let longest = 0;
  let run = 0;
  let risen = false;
  for (const change of changes) {
    if (half > 0 && change >= half) {
      if (risen) longest = Math.max(longest, run);
      risen = true;
      run = 0;
    } else {
      run += 1;
    }
  }
  return longest;
}

/**
 * How many trailing switches the series stayed level for after rising at `slopeBytesPerSwitch`: the
 * largest k such that each of the last k changes, and their sum, are below half of what the slope
 * predicts for them. A steady leak never qualifies (it rises by its slope every switch); a rise that
 * has stopped does, however long ago it stopped.
 */
export function flatTailSwitches(values: readonly number[], slopeBytesPerSwitch: number): number {
  const last = values.length - 1;
  const half = 0.5 * Math.max(slopeBytesPerSwitch, 0);
  let k = 0;
  while (k < last) {
    const change = (values[last - k] as number) - (values[last - k - 1] as number);
    const rise = (values[last] as number) - (values[last - k - 1] as number);
    if (change >= half || rise >= half * (k + 1)) break;
    k += 1;
  }
  return k;
}
