import { describe, expect, it } from 'vitest';
import { pairwiseSlopes } from '../../../src/analysis/selectPairwiseSlope.js';
import { theilSen } from '../../../src/analysis/theilSen.js';
import { MIB } from '../../../src/units.js';

/** A random walk with a trend and an outlier now and then: memory after unload, as the analysis sees it. */
function walk(n: number, seed: number, trendBytes: number): { xs: number[]; ys: number[] } {
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let level = 100 * MIB;
  const xs = Array.from({ length: n }, (_, i) => i);
  const ys = xs.map((x) => (level += (random() - 0.5) * 8192) + trendBytes * x + (random() < 0.01 ? 4 * MIB : 0));
  return { xs, ys };
}

/** Every pairwise slope, sorted: what the long path must reproduce. */
function allSlopes(xs: number[], ys: number[]): Float64Array {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) slopes.push((ys[j]! - ys[i]!) / (xs[j]! - xs[i]!));
  return Float64Array.from(slopes).sort();
}

describe('pairwiseSlopes(...).select: the k-th pairwise slope without materialising them', () => {
  it('matches the k-th of all sorted slopes to within 1e-7 of their range, at every rank tried', () => {
    const { xs, ys } = walk(600, 3, 50);
    const sorted = allSlopes(xs, ys);
    const range = (Math.max(...ys) - Math.min(...ys)) / 1;
    const slopes = pairwiseSlopes(xs, ys);
    expect(slopes.pairCount).toBe(sorted.length);
    for (const k of [1, 2, 1000, Math.floor(sorted.length / 2), sorted.length - 1000, sorted.length]) {
      const selected = slopes.select(k);
      expect(selected).toBeGreaterThanOrEqual(sorted[k - 1]!);
      expect(selected - sorted[k - 1]!).toBeLessThanOrEqual(range * 1e-7);
    }
  });
});

describe('theilSen on a long series (above 2,000 points)', () => {
  it('gives the exact fit of the same points to within 1e-7 of the slopes range: slope and CI', () => {
    const { xs, ys } = walk(2_400, 11, 300);
    const sorted = allSlopes(xs, ys);
    const n = sorted.length;
    const exactSlope = (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
    const fit = theilSen(xs, ys);
    const tolerance = ((Math.max(...ys) - Math.min(...ys)) / 1) * 1e-7;
    expect(fit.pairCount).toBe(n);
    expect(Math.abs(fit.slope - exactSlope)).toBeLessThanOrEqual(tolerance);
    // The interval's ranks follow the same rule as the short path (Sen 1968 with ties).
    const c = 1.959963984540054 * Math.sqrt((2_400 * 2_399 * (2 * 2_400 + 5)) / 18);
    const lowerRank = Math.round((n - c) / 2);
    const upperRank = Math.round((n + c) / 2) + 1;
    expect(Math.abs(fit.ci95![0] - sorted[lowerRank - 1]!)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(fit.ci95![1] - sorted[upperRank - 1]!)).toBeLessThanOrEqual(tolerance);
    expect(fit.slope).toBeGreaterThan(200);
    expect(fit.slope).toBeLessThan(400);
  });

  it('is deterministic: the same series gives the same figures', () => {
    const { xs, ys } = walk(3_000, 5, 0);
    expect(theilSen(xs, ys)).toEqual(theilSen(xs, ys));
  });
});
