import { describe, expect, it } from 'vitest';
import { median, medianAbsoluteDeviation, medianOfSorted, signTestP } from '../../../src/analysis/statistics.js';

// References: numpy.median and scipy.stats.median_abs_deviation (computed once with numpy 2.4 / scipy 1.17).
describe('median', () => {
  it('takes the mean of the middle pair for an even count', () => {
    expect(median([3, 1, 4, 1, 5, 9, 2, 6])).toBeCloseTo(3.5, 12);
  });
  it('takes the middle value for an odd count', () => {
    expect(median([3, 1, 4, 1, 5])).toBeCloseTo(3, 12);
  });
  it('sorts numerically, not as strings', () => {
    expect(median([10, 9, 100])).toBe(10);
  });
  it('does not reorder its input', () => {
    const values: [number, ...number[]] = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
  it('medianOfSorted refuses an empty list', () => {
    expect(() => medianOfSorted([])).toThrow(RangeError);
  });
});

describe('medianAbsoluteDeviation', () => {
  it('matches scipy.stats.median_abs_deviation', () => {
    expect(medianAbsoluteDeviation([3, 1, 4, 1, 5, 9, 2, 6])).toBeCloseTo(2.0, 12);
    expect(medianAbsoluteDeviation([2.5, -1, 7, 3, 3, 100])).toBeCloseTo(2.25, 12);
  });
});

// References: scipy.stats.binomtest(k, n, 0.5, alternative='greater').pvalue
describe('signTestP', () => {
  it.each([
    [7, 0, 0.0078125],
    [10, 0, 0.0009765625],
    [9, 1, 0.0107421875],
    [10, 1, 0.005859375],
    [5, 5, 0.623046875],
    [1, 0, 0.5],
    [20, 4, 0.000771939754486084],
  ])('%i rises, %i falls → %f', (rises, falls, p) => {
    expect(signTestP(rises, falls)).toBeCloseTo(p, 12);
  });

  it('is 1 without changes or without rises', () => {
    expect(signTestP(0, 0)).toBe(1);
    expect(signTestP(0, 6)).toBe(1);
  });
});
