import { describe, expect, it } from 'vitest';
import { signTestP } from '../../../src/analysis/signTest.js';

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
