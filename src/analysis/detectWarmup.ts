import { differenceSigma, robustNoiseSigma } from './noiseSigma.js';
import type { Signal } from './Signal.js';
import { theilSen } from './theilSen.js';
import { KIB } from '../units.js';

/**
 * The smallest rise, in bytes, that counts as a warm-up step for each signal. heap-in-use after unload
 * is nearly exact, so 16 KiB is far above its jitter; RSS moves in 4 KiB pages and file pages come and
 * go, so a step must exceed 256 KiB (64 pages) before it is called warm-up rather than noise; memory
 * outside malloc holds the JS heap, which moves in 256 KiB pages, so the same.
 */
export const WARMUP_MINIMUM_STEP_BYTES: Readonly<Record<Signal, number>> = {
  // Engine heap is exact: a one-time cache the engine fills on its first switches is at least 1 KiB,
  // while a per-switch leak of a few blocks stays on its line and is never taken for warm-up.
  engineHeap: 1 * KIB,
  heapInUse: 16 * KIB,
  outsideMalloc: 256 * KIB,
  rssAnon: 256 * KIB,
  rss: 256 * KIB,
};

export interface WarmupOptions {
  /** Points that must remain after the warm-up for the trend to be measured (default 5). */
  minTailPoints?: number;
  /** Lower bound of the level tolerance, in bytes (default: the heap-in-use step, 16 KiB). */
  minimumStepBytes?: number;
  /** Robust sigmas a point must sit below the plateau line to count as warm-up (default 5). */
  toleranceSigmas?: number;
}

export interface Warmup {
  /** How many leading points are warm-up; the trend is measured from this index on (0: none). */
  warmupPoints: number;
  /** How far the series rose during warm-up: the post-warm-up line at the cut minus the first value. */
  growthBytes: number;
  /** How far below the plateau line a point had to be to count as warm-up. */
  levelToleranceBytes: number;
}

/**
 * Measures the warm-up of a series sampled once per switch: the index where it levels off.
 *
 * Rule (growth-then-level, never a fixed count):
 * 1. Fit a Theil–Sen reference line to the last max(minTailPoints, ⌈n/2⌉) points (the reference window,
 *    assumed past warm-up). The noise s = max(robustNoiseSigma over that window, differenceSigma over
 *    the whole series): MADs of short lists often come out small by chance, and an underestimated
 *    noise is what would turn a dip into a "warm-up". Tolerance tol = max(toleranceSigmas·s,
 *    minimumStepBytes).
 * 2. The plateau before the reference window is the reference line extrapolated backwards with its
 *    slope clamped at ≥ 0 (a leak's earlier samples sit lower; a chance downward slope must not lift
 *    the plateau over early samples). A point before the last minTailPoints is "below" when
 *    y[i] < plateau(i) − tol.
 * 3. Candidates k = i + 1 for each below point i, latest first. A candidate is accepted when
 *    (a) a real warm-up lies wholly under the plateau, a noise dip does not: at least half of the
 *        points before k are below, and so is point k − 2 (when k ≥ 2), and
 *    (b) the rise during warm-up is clearly faster than the later trend: with a Theil–Sen fit on [k, n)
 *        (slope CI upper bound hi, or the slope when the CI is undefined),
 *        line(k) − y[0] > tol + 2·max(hi, 0)·k, i.e. beyond the tolerance the warm-up rose at least
 *        twice as fast as the most the later slope allows.
 *    The first accepted candidate is cut; none accepted means no cut.
 * 4. Steps 1–3 are repeated on what remains until a pass cuts nothing (the series after warm-up must
 *    itself show no warm-up): a long warm-up inflates the first pass's noise estimate, so its last
 *    steps may only be found on a second pass. The warm-up is the sum of the cuts; its growth is the
 *    final post-warm-up line at the cut minus y[0]; levelToleranceBytes is the first pass's tol.
 *
 * Rule (b) is what keeps a steady leak from being explained away: on a straight line the rise before k
 * is what the later slope predicts, so no cut is made. A fast ramp followed by a slower leak is
 * cut at the end of the ramp, and the slower leak is still measured on [k, n).
 */
export function detectWarmup(values: readonly number[], options: WarmupOptions = {}): Warmup {
  const minTail = Math.max(2, options.minTailPoints ?? 5);
  const minimumStep = options.minimumStepBytes ?? WARMUP_MINIMUM_STEP_BYTES.heapInUse;
  const sigmas = options.toleranceSigmas ?? 5;
  let offset = 0;
  let firstTolerance: number | null = null;
  for (;;) {
    const cut = cutOnce(values.slice(offset), minTail, minimumStep, sigmas);
    firstTolerance ??= cut.toleranceBytes;
    if (cut.points === 0) break;
    offset += cut.points;
  }
  if (offset === 0) return { warmupPoints: 0, growthBytes: 0, levelToleranceBytes: firstTolerance };
  const tail = fitRange(values, offset);
  return {
    warmupPoints: offset,
    growthBytes: lineAt(tail, offset) - (values[0] as number),
    levelToleranceBytes: firstTolerance,
  };
}

/** One pass of steps 1–3 over a series; returns the accepted cut (0: none) and the tolerance used. */
function cutOnce(
  values: readonly number[],
  minTail: number,
  minimumStep: number,
  sigmas: number,
): { points: number; toleranceBytes: number } {
  const n = values.length;
  if (n < minTail + 1) return { points: 0, toleranceBytes: minimumStep };

  const referenceStart = n - Math.max(minTail, Math.ceil(n / 2));
  const reference = fitRange(values, referenceStart);
  const residuals = values.slice(referenceStart).map((y, j) => y - lineAt(reference, referenceStart + j));
  const sigma = Math.max(robustNoiseSigma(values.slice(referenceStart), residuals), differenceSigma(values));
  const tolerance = Math.max(sigmas * sigma, minimumStep);

  const lastCandidate = n - minTail; // k may not exceed this, so minTail points remain
  const below: boolean[] = [];
  const referenceLevel = lineAt(reference, referenceStart);
  const plateauAt = (i: number) =>
    i >= referenceStart ? lineAt(reference, i) : referenceLevel - Math.max(reference.slope, 0) * (referenceStart - i);
  for (let i = 0; i < lastCandidate; i++) below.push((values[i] as number) < plateauAt(i) - tolerance);

  const first = values[0] as number;
  for (let i = lastCandidate - 1; i >= 0; i--) {
    if (!below[i]) continue;
    const k = i + 1;
    const belowCount = below.slice(0, k).filter(Boolean).length;
    if (belowCount * 2 < k || (k >= 2 && !below[k - 2])) continue;
    const tail = fitRange(values, k);
    const upperSlope = tail.ci95?.[1] ?? tail.slope;
    if (lineAt(tail, k) - first > tolerance + 2 * Math.max(upperSlope, 0) * k) {
      return { points: k, toleranceBytes: tolerance };
    }
  }
  return { points: 0, toleranceBytes: tolerance };
}

interface Line {
  slope: number;
  intercept: number;
  ci95: readonly [number, number] | null;
}

function fitRange(values: readonly number[], start: number): Line {
  const ys = values.slice(start);
  const xs = ys.map((_, j) => start + j);
  return theilSen(xs, ys);
}

function lineAt(line: Line, x: number): number {
  return line.intercept + line.slope * x;
}
