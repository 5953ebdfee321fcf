import type { Samples } from './Samples.js';

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
