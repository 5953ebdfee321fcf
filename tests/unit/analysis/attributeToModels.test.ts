import { describe, expect, it } from 'vitest';
import { attributeToModels, type CycleLevels } from '../../../src/analysis/attributeToModels.js';

const cycle = (modelKey: string, beforeLoadBytes: number, afterUnloadBytes: number): CycleLevels => ({ modelKey, beforeLoadBytes, afterUnloadBytes });

describe('attributeToModels', () => {
  it('returns the measured series for a single model, gaps between cycles included', () => {
    const cycles = [cycle('a', 100, 110), cycle('a', 105, 120), cycle('a', 90, 95)];
    expect(attributeToModels(cycles).get('a')).toEqual([110, 120, 95]);
  });

  it("removes another model's leak from a clean model's series", () => {
    // a is clean, b leaks 10 per cycle; they alternate in one process.
    const cycles = [cycle('a', 100, 100), cycle('b', 100, 110), cycle('a', 110, 110), cycle('b', 110, 120), cycle('a', 120, 120), cycle('b', 120, 130)];
    const series = attributeToModels(cycles);
    expect(series.get('a')).toEqual([100, 100, 100]);
    expect(series.get('b')).toEqual([110, 120, 130]);
  });

  it('keeps harness drift between cycles in every series (worked example)', () => {
    // Between a's and b's cycles the level drops by 5 (a trim); a's deltas +2, b's deltas +3.
    const cycles = [cycle('a', 1000, 1002), cycle('b', 997, 1000), cycle('a', 995, 997), cycle('b', 992, 995)];
    const series = attributeToModels(cycles);
    // a: 1002; then 997 - (b's +3) = 994
    expect(series.get('a')).toEqual([1002, 994]);
    // b: 1000 - (a's +2) = 998; then 995 - (a's +2 +2) = 991
    expect(series.get('b')).toEqual([998, 991]);
  });
});
