import { describe, expect, it } from 'vitest';
import { attributeToModels, type CycleLevels } from '../../../src/analysis/attributeToModels.js';

const cycle = (modelKey: string, beforeLoadBytes: number, afterUnloadBytes: number): CycleLevels => ({ modelKey, beforeLoadBytes, afterUnloadBytes });

describe('attributeToModels', () => {
  it('returns the measured levels for a single model, gaps between cycles included', () => {
    const cycles = [cycle('a', 100, 110), cycle('a', 105, 120), cycle('a', 90, 95)];
    expect(attributeToModels(cycles).get('a')).toEqual({ beforeLoadBytes: [100, 105, 90], afterUnloadBytes: [110, 120, 95] });
  });

  it("removes another model's leak from a clean model's levels, its starting level included", () => {
    // b leaks 10 per cycle and runs first; a is clean.
    const cycles = [cycle('b', 100, 110), cycle('a', 110, 110), cycle('b', 110, 120), cycle('a', 120, 120)];
    const series = attributeToModels(cycles);
    expect(series.get('a')).toEqual({ beforeLoadBytes: [100, 100], afterUnloadBytes: [100, 100] });
    // b keeps its own leak: it starts its second cycle 10 higher.
    expect(series.get('b')).toEqual({ beforeLoadBytes: [100, 110], afterUnloadBytes: [110, 120] });
  });

  it('keeps harness drift between cycles in every series (worked example)', () => {
    // Between cycles the level drops by 5 (a trim); a's cycles change +2, b's +3.
    const cycles = [cycle('a', 1000, 1002), cycle('b', 997, 1000), cycle('a', 995, 997), cycle('b', 992, 995)];
    const series = attributeToModels(cycles);
    // a: before 1000, 995 - 3 = 992; after 1002, 997 - 3 = 994
    expect(series.get('a')).toEqual({ beforeLoadBytes: [1000, 992], afterUnloadBytes: [1002, 994] });
    // b: before 997 - 2 = 995, 992 - 4 = 988; after 1000 - 2 = 998, 995 - 4 = 991
    expect(series.get('b')).toEqual({ beforeLoadBytes: [995, 988], afterUnloadBytes: [998, 991] });
  });
});
