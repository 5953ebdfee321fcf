import { detectWarmup, WARMUP_MINIMUM_STEP_BYTES } from './detectWarmup.js';
import { MINIMUM_FLOOR_BYTES_PER_SWITCH, noiseFloor } from './noiseFloor.js';
import type { Signal } from './Signal.js';
import { robustNoiseSigma } from './robustNoiseSigma.js';
import { stepSigma } from './stepSigma.js';
import { theilSen } from './theilSen.js';

/** Fewest switches after warm-up over which a leak may be called (5 samples: the least for a 95 % CI). */
export const MINIMUM_SWITCHES_FOR_LEAK = 4;

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
  /** Scatter of the window around its line (robustNoiseSigma). */
  residualSigmaBytes: number;
  /** Spread of the window's switch-to-switch changes (stepSigma). */
  stepSigmaBytes: number;
  minimumSwitches: number;
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
  const steps = stepSigma(ys);
  const floor = noiseFloor(
    signal,
    { levelSigmaBytes: sigma, stepSigmaBytes: steps, points: ys.length },
    options.minimumFloorBytesPerSwitch ?? MINIMUM_FLOOR_BYTES_PER_SWITCH[signal],
  );
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
    residualSigmaBytes: sigma,
    stepSigmaBytes: steps,
    minimumSwitches,
  };
}
