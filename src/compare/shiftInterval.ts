import { medianOfSorted } from '../analysis/statistics.js';

/** A location estimate with its confidence interval, in the unit of the samples (or a ratio). */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** Two-sided 95 %: the standard normal quantile 0.975. */
const Z_975 = 1.959963984540054;

/**
 * Hodges–Lehmann estimate of the shift `head − base` between two samples, with the distribution-free
 * confidence interval that inverts the Mann–Whitney test (Bauer 1972; as R's `wilcox.test(conf.int =
 * TRUE)`, with the normal approximation of the rank-sum's distribution): of the m·n pairwise
 * differences, sorted, the interval drops the k smallest and k largest, k = ⌊mn/2 − z·√(mn(m+n+1)/12)⌋.
 * No resampling, so no random seed: the same samples always give the same interval.
 * Null when either sample has fewer than 2 values.
 */
export function shiftInterval(base: readonly number[], head: readonly number[], z = Z_975): Interval | null {
  const m = base.length;
  const n = head.length;
  if (m < 2 || n < 2) return null;
  const differences = new Float64Array(m * n);
  let at = 0;
  for (const y of head) for (const x of base) differences[at++] = y - x;
  differences.sort();
  const pairs = m * n;
  const k = Math.max(0, Math.floor(pairs / 2 - z * Math.sqrt((m * n * (m + n + 1)) / 12)));
  return { estimate: medianOfSorted(differences), low: differences[k]!, high: differences[pairs - 1 - k]! };
}

/**
 * The ratio `head / base` of two samples of a positive quantity (TTFT, throughput, peak RSS): the
 * shift interval of their logarithms, exponentiated. Scale-free, so a 30 % slowdown reads 1.30
 * whatever the absolute times. Non-positive values are dropped; null when fewer than 2 remain.
 */
export function ratioInterval(base: readonly number[], head: readonly number[], z = Z_975): Interval | null {
  const logs = (values: readonly number[]): number[] => values.filter((v) => v > 0 && Number.isFinite(v)).map(Math.log);
  const shift = shiftInterval(logs(base), logs(head), z);
  return shift && { estimate: Math.exp(shift.estimate), low: Math.exp(shift.low), high: Math.exp(shift.high) };
}
