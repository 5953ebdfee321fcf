import { describe, expect, it } from 'vitest';
import { median, medianOfSorted } from '../../../src/analysis/median.js';
import { MAD_TO_SIGMA, medianAbsoluteDeviation } from '../../../src/analysis/medianAbsoluteDeviation.js';

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
  it('scales to sigma with scipy\'s scale="normal" factor', () => {
    expect(MAD_TO_SIGMA).toBeCloseTo(1.482602218505602, 12);
  });
});
