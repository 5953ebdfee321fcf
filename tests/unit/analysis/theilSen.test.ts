import { describe, expect, it } from 'vitest';
import { theilSen } from '../../../src/analysis/theilSen.js';

// Reference values: scipy.stats.theilslopes(y, x, 0.95, method='joint') with scipy 1.17.1, computed
// once outside the project and pasted here: [slope, intercept, low, high].
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const cases: { name: string; x: number[]; y: number[]; ref: [number, number, number, number] }[] = [
  {
    name: 'small integer series',
    x: range(10),
    y: [1, 3, 2, 5, 4, 6, 8, 7, 10, 9],
    ref: [1.0, 1.0, 0.6666666666666666, 1.3333333333333333],
  },
  {
    name: 'ties in y (variance correction)',
    x: range(10),
    y: [5, 5, 5, 6, 6, 7, 7, 7, 8, 8],
    ref: [0.375, 4.6875, 0.2857142857142857, 0.5],
  },
  {
    name: 'unsorted x with a tie in x',
    x: [3, 1, 2, 2, 5, 4, 7, 6, 0],
    y: [7.5, 2.0, 4.1, 3.9, 11.0, 9.2, 15.5, 12.8, 0.4],
    ref: [2.1750000000000003, 0.12499999999999822, 1.8000000000000007, 2.3666666666666667],
  },
  {
    name: 'five points: the shortest series with a 95 % interval',
    x: range(5),
    y: [0.0, 2.5, 1.0, 4.0, 3.5],
    ref: [0.8125, 0.25, -1.5, 3.0],
  },
  {
    name: 'flat series',
    x: range(8),
    y: [7, 7, 7, 7, 7, 7, 7, 7],
    ref: [0, 7, 0, 0],
  },
  {
    name: 'noisy trend, 20 points',
    x: range(20),
    y: [
      1162.091, 1726.916, 1389.024, 1282.687, 2021.095, 2329.052, 1937.383, 2203.005, 3053.625, 3154.266, 2919.348, 3570.161, 4366.271,
      4262.499, 4251.836, 5106.224, 5617.365, 5310.726, 5506.611, 6333.646,
    ],
    ref: [266.31850000000003, 828.3727499999995, 238.7603333333333, 300.32781818181815],
  },
];

describe('theilSen against scipy.stats.theilslopes', () => {
  it.each(cases)('$name', ({ x, y, ref }) => {
    const fit = theilSen(x, y);
    expect(fit.slope).toBeCloseTo(ref[0], 9);
    expect(fit.intercept).toBeCloseTo(ref[1], 9);
    expect(fit.ci95).not.toBeNull();
    expect(fit.ci95![0]).toBeCloseTo(ref[2], 9);
    expect(fit.ci95![1]).toBeCloseTo(ref[3], 9);
  });
});

describe('theilSen by hand', () => {
  it('recovers an exact line and gives a zero-width interval', () => {
    const x = range(12);
    const fit = theilSen(
      x,
      x.map((v) => 4096 * v + 1e8),
    );
    expect(fit.slope).toBeCloseTo(4096, 9);
    expect(fit.intercept).toBeCloseTo(1e8, 3);
    expect(fit.ci95![0]).toBeCloseTo(4096, 9);
    expect(fit.ci95![1]).toBeCloseTo(4096, 9);
    expect(fit.pairCount).toBe(66);
  });

  it('takes ranks round((N−C)/2) and round((N+C)/2)+1 (n = 10: ranks 12 and 34 of 45)', () => {
    // y = x² makes pairwise slope (i, j) equal i + j, so the sorted slopes are known by hand:
    // C = 1.96·sqrt(10·9·25/18) = 21.91 → ranks round(11.54) = 12 and round(33.46) + 1 = 34.
    const x = range(10);
    const slopes = x.flatMap((i) => x.filter((j) => j > i).map((j) => i + j)).sort((a, b) => a - b);
    const fit = theilSen(
      x,
      x.map((v) => v * v),
    );
    expect(fit.ci95).toEqual([slopes[11], slopes[33]]);
    expect(fit.slope).toBe(9); // median of i + j over 45 pairs: the 23rd smallest
  });

  it('has no 95 % interval with four points (scipy clamps to the full range instead)', () => {
    const fit = theilSen(range(4), [0.0, 2.5, 1.0, 4.0]);
    // scipy: slope 1.0416666666666665, intercept 0.4375000000000002
    expect(fit.slope).toBeCloseTo(1.0416666666666665, 12);
    expect(fit.intercept).toBeCloseTo(0.4375000000000002, 12);
    expect(fit.ci95).toBeNull();
  });

  it('works with two points and rejects unusable input', () => {
    expect(theilSen([1, 3], [10, 14]).slope).toBeCloseTo(2, 12);
    expect(() => theilSen([1, 1], [2, 3])).toThrow(RangeError);
    expect(() => theilSen([1, 2], [2])).toThrow(RangeError);
    expect(() => theilSen([1, 2], [2, Number.NaN])).toThrow(RangeError);
  });
});
