import { medianOfSorted } from './statistics.js';
import { pairwiseSlopes as selectablePairwiseSlopes } from './selectPairwiseSlope.js';

/** z such that P(Z ≤ z) = 0.975 for a standard normal Z: the two-sided 95 % quantile. */
export const Z_975 = 1.959963984540054;

/** A Theil–Sen line y ≈ intercept + slope·x, with a distribution-free 95 % interval for the slope. */
export interface TheilSenFit {
  /** Median of the pairwise slopes (y_j − y_i)/(x_j − x_i) over pairs with x_j > x_i. */
  slope: number;
  /** Median of y − slope·x (scipy's method='joint'). */
  intercept: number;
  /**
   * 95 % confidence interval for the slope, [low, high]; null when the series is too short for the
   * rank rule to reach 95 % (e.g. 4 or fewer distinct points without ties).
   */
  ci95: readonly [number, number] | null;
  /** N: how many pairwise slopes the estimate used. */
  pairCount: number;
}

/**
 * Theil–Sen slope and intercept of (xs, ys), with the 95 % confidence interval of Sen (1968) eq. 2.6
 * (Hollander & Wolfe), computed exactly as scipy.stats.theilslopes(y, x, 0.95, method='joint'):
 *
 * - N = number of pairs with x_j > x_i (pairs tied in x are skipped); slopes sorted ascending.
 * - σ² = [n(n−1)(2n+5) − Σ_x t(t−1)(2t+5) − Σ_y u(u−1)(2u+5)] / 18, where t and u are the sizes of
 *   groups of tied x and tied y values (the Kendall-tau variance with ties).
 * - C = z₀.₉₇₅·σ; 1-based ranks lower = round((N − C)/2), upper = round((N + C)/2) + 1,
 *   rounding half to even (numpy's round). The interval is [slope_lower, slope_upper].
 * - When lower < 1 or upper > N the 95 % interval is undefined and ci95 is null (scipy clamps instead).
 *
 * O(n² log n) time and O(n²) memory: fine for the few hundred switches of a run. Above
 * EXACT_MAX_POINTS points with increasing x (a run of thousands of switches) the slopes are not
 * materialised: each needed rank is selected in O(n log n) steps (selectPairwiseSlope), to within
 * 1e-7 of the slopes' range.
 * Throws RangeError for mismatched lengths, non-finite values, or no pair with distinct x.
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): TheilSenFit {
  const n = ys.length;
  if (xs.length !== n) throw new RangeError(`theilSen: ${xs.length} x values but ${n} y values`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) {
      throw new RangeError(`theilSen: non-finite value at index ${i}`);
    }
  }
  if (n > EXACT_MAX_POINTS && isStrictlyIncreasing(xs)) return theilSenLong(xs, ys);
  const slopes = pairwiseSlopes(xs, ys);
  if (slopes.length === 0) throw new RangeError('theilSen: needs at least two points with different x');
  slopes.sort();
  return fitFromRanks(xs, ys, slopes.length, (rank) => slopes[rank - 1] as number);
}

/**
 * The fit from the pairwise slopes, read by 1-based rank in ascending order (`slopeAtRank`): the
 * median slope, the median offset as intercept, and Sen's interval (see theilSen).
 */
function fitFromRanks(xs: readonly number[], ys: readonly number[], pairCount: number, slopeAtRank: (rank: number) => number): TheilSenFit {
  const n = ys.length;
  const mid = Math.floor(pairCount / 2);
  const slope = pairCount % 2 === 1 ? slopeAtRank(mid + 1) : (slopeAtRank(mid) + slopeAtRank(mid + 1)) / 2;
  const offsets = new Float64Array(n);
  for (let i = 0; i < n; i++) offsets[i] = (ys[i] as number) - slope * (xs[i] as number);
  const intercept = medianOfSorted(offsets.sort());

  const varianceTimes18 = kendallTerm(n) - tiesTerm(xs) - tiesTerm(ys);
  const c = Z_975 * Math.sqrt(Math.max(varianceTimes18, 0) / 18);
  const lowerRank = roundHalfEven((pairCount - c) / 2);
  const upperRank = roundHalfEven((pairCount + c) / 2) + 1;
  const ci95 = lowerRank >= 1 && upperRank <= pairCount ? ([slopeAtRank(lowerRank), slopeAtRank(upperRank)] as const) : null;
  return { slope, intercept, ci95, pairCount };
}

/** Up to this many points every pairwise slope is computed and sorted (2,000 points: 2 million slopes, 16 MB). */
const EXACT_MAX_POINTS = 2_000;

function isStrictlyIncreasing(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (!((xs[i] as number) > (xs[i - 1] as number))) return false;
  return true;
}

/** theilSen for long series: the same figures, each rank selected without sorting n²/2 slopes. */
function theilSenLong(xs: readonly number[], ys: readonly number[]): TheilSenFit {
  const slopes = selectablePairwiseSlopes(xs, ys);
  return fitFromRanks(xs, ys, slopes.pairCount, (rank) => slopes.select(rank));
}

function pairwiseSlopes(xs: readonly number[], ys: readonly number[]): Float64Array {
  const n = ys.length;
  const out = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const xi = xs[i] as number;
    const yi = ys[i] as number;
    for (let j = 0; j < n; j++) {
      const dx = (xs[j] as number) - xi;
      if (dx > 0) out[count++] = ((ys[j] as number) - yi) / dx;
    }
  }
  return out.subarray(0, count);
}

function kendallTerm(size: number): number {
  return size * (size - 1) * (2 * size + 5);
}

function tiesTerm(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let sum = 0;
  for (const t of counts.values()) if (t > 1) sum += kendallTerm(t);
  return sum;
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
