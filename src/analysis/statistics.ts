/**
 * Small statistics on samples, each a pure function tested against reference values
 * (tests/unit/analysis/statistics.test.ts): the median and MAD (robust location and scale) and the
 * one-sided sign test.
 */

/** A non-empty list of numbers: statistics such as the median are undefined on an empty list. */
export type Samples = readonly [number, ...number[]];

/** Narrows a list to Samples when it has at least one element. */
export function isSamples(values: readonly number[]): values is Samples {
  return values.length > 0;
}

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: Samples): number {
  const sorted = Float64Array.from(values).sort();
  return medianOfSorted(sorted);
}

/** The median of an already ascending, non-empty array; lets callers that sorted anyway skip a copy. */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('median of an empty list');
  const mid = n >> 1;
  const upper = sorted[mid] as number;
  return n % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** Makes the MAD estimate the standard deviation for normally distributed data (1 / Φ⁻¹(0.75)). */
export const MAD_TO_SIGMA = 1.482602218505602;

/** The raw median absolute deviation from the median (unscaled; multiply by MAD_TO_SIGMA for a sigma). */
export function medianAbsoluteDeviation(values: Samples): number {
  const centre = median(values);
  const [first, ...rest] = values;
  return median([Math.abs(first - centre), ...rest.map((v) => Math.abs(v - centre))]);
}

/**
 * One-sided sign test: the probability of at least `rises` rises among `rises + falls` changes when
 * each change is a rise or a fall with probability ½ (ties left out beforehand), as
 * scipy.stats.binomtest(rises, rises + falls, 0.5, alternative='greater').pvalue. 1 when there are no
 * changes. It rests on no step size, so a climb whose steps vary with its size is judged by how
 * lopsided it is, not by how noisy.
 */
export function signTestP(rises: number, falls: number): number {
  const n = rises + falls;
  if (n === 0 || rises <= 0) return 1;
  // Σ_{k=rises..n} C(n, k) / 2^n, with C(n, k) built up term by term (exact for the few hundred switches of a run).
  let term = 1; // C(n, n)
  let tail = 0;
  for (let k = n; k >= rises; k--) {
    tail += term;
    term = (term * k) / (n - k + 1); // C(n, k−1) from C(n, k)
  }
  return tail / 2 ** n;
}
