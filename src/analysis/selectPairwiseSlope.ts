/**
 * The k-th smallest pairwise slope (y_j − y_i)/(x_j − x_i), i < j, of points with strictly increasing
 * x, in O(n log n) per step instead of materialising all n(n−1)/2 slopes (40,000 switches would be
 * 800 million of them). The slope s_ij ≤ t exactly when z_j ≤ z_i for z = y − t·x, so the number of
 * slopes ≤ t is a count of non-increasing pairs in z, which a merge sort counts. A bracket from a fixed
 * random sample of pairs is narrowed by bisection until it is narrower than `toleranceOf` the slopes'
 * range (1e-7 of it): the answer is the k-th slope to within that, deterministically.
 */

/** Pairs sampled to bracket the rank before bisecting. */
const SAMPLE_PAIRS = 50_000;
/** Bisection stops when the bracket is this fraction of the widest possible slope. */
const RELATIVE_TOLERANCE = 1e-7;

export interface PairwiseSlopes {
  /** The k-th smallest slope, k from 1 to pairCount. */
  select(k: number): number;
  pairCount: number;
}

/** Prepares k-th-slope selection over (xs, ys); xs must be strictly increasing and finite. */
export function pairwiseSlopes(xs: readonly number[], ys: readonly number[]): PairwiseSlopes {
  const n = ys.length;
  const pairCount = (n * (n - 1)) / 2;
  const z = new Float64Array(n);
  const buffer = new Float64Array(n);
  const countAtMost = (t: number): number => {
    for (let i = 0; i < n; i++) z[i] = (ys[i] as number) - t * (xs[i] as number);
    return countNonIncreasingPairs(z, buffer);
  };

  let minY = Infinity;
  let maxY = -Infinity;
  let minDx = Infinity;
  for (let i = 0; i < n; i++) {
    minY = Math.min(minY, ys[i] as number);
    maxY = Math.max(maxY, ys[i] as number);
    if (i > 0) minDx = Math.min(minDx, (xs[i] as number) - (xs[i - 1] as number));
  }
  // No slope is steeper than the whole range of y over the smallest step in x.
  const steepest = (maxY - minY) / minDx;
  const tolerance = Math.max(steepest * RELATIVE_TOLERANCE, Number.MIN_VALUE);

  // A fixed xorshift stream: the same data always gives the same bracket, so the same answer.
  let state = 0x2545f491;
  const random = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const sampleSize = Math.min(SAMPLE_PAIRS, pairCount);
  const sample = new Float64Array(sampleSize);
  for (let s = 0; s < sampleSize; s++) {
    const i = Math.floor(random() * n);
    let j = Math.floor(random() * (n - 1));
    if (j >= i) j += 1;
    const [a, b] = i < j ? [i, j] : [j, i];
    sample[s] = ((ys[b] as number) - (ys[a] as number)) / ((xs[b] as number) - (xs[a] as number));
  }
  sample.sort();

  return {
    pairCount,
    select(k: number): number {
      const q = k / pairCount;
      const margin = 4 * Math.sqrt(sampleSize * q * (1 - q)) + 2;
      const loIndex = Math.floor(q * sampleSize - margin);
      const hiIndex = Math.ceil(q * sampleSize + margin);
      // Invariant: fewer than k slopes are ≤ lo, at least k are ≤ hi.
      let lo = loIndex >= 0 ? (sample[loIndex] as number) : -steepest - 1;
      let hi = hiIndex < sampleSize ? (sample[hiIndex] as number) : steepest + 1;
      if (lo > -steepest - 1 && countAtMost(lo) >= k) lo = -steepest - 1;
      if (hi < steepest + 1 && countAtMost(hi) < k) hi = steepest + 1;
      while (hi - lo > tolerance) {
        const mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi) break;
        if (countAtMost(mid) >= k) hi = mid;
        else lo = mid;
      }
      return hi;
    },
  };
}

/** Counts pairs i < j with z[j] ≤ z[i] (bottom-up merge sort; sorts z, uses `buffer`). */
function countNonIncreasingPairs(z: Float64Array, buffer: Float64Array): number {
  const n = z.length;
  let count = 0;
  let source = z;
  let target = buffer;
  for (let width = 1; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const mid = Math.min(left + width, n);
      const right = Math.min(left + 2 * width, n);
      let i = left;
      let j = mid;
      let k = left;
      while (i < mid && j < right) {
        // Every left element still waiting is ≥ the right one: each makes a pair.
        if ((source[j] as number) <= (source[i] as number)) {
          count += mid - i;
          target[k++] = source[j++] as number;
        } else {
          target[k++] = source[i++] as number;
        }
      }
      while (i < mid) target[k++] = source[i++] as number;
      while (j < right) target[k++] = source[j++] as number;
    }
    [source, target] = [target, source];
  }
  return count;
}
