import { describe, expect, it } from 'vitest';
import { attributeToModels, type SwitchLevels } from '../../../src/analysis/attributeToModels.js';

const switchLevels = (modelKey: string, beforeLoadBytes: number, afterUnloadBytes: number): SwitchLevels => ({
  modelKey,
  beforeLoadBytes,
  afterUnloadBytes,
});

describe('attributeToModels', () => {
  it('returns the measured levels for a single model, gaps between switches included', () => {
    const switches = [switchLevels('a', 100, 110), switchLevels('a', 105, 120), switchLevels('a', 90, 95)];
    expect(attributeToModels(switches).get('a')).toEqual({ beforeLoadBytes: [100, 105, 90], afterUnloadBytes: [110, 120, 95] });
  });

  it("removes another model's leak from a clean model's levels, its starting level included", () => {
    // b leaks 10 per switch and runs first; a is clean.
    const switches = [switchLevels('b', 100, 110), switchLevels('a', 110, 110), switchLevels('b', 110, 120), switchLevels('a', 120, 120)];
    const series = attributeToModels(switches);
    expect(series.get('a')).toEqual({ beforeLoadBytes: [100, 100], afterUnloadBytes: [100, 100] });
    // b keeps its own leak: it starts its second switch 10 higher.
    expect(series.get('b')).toEqual({ beforeLoadBytes: [100, 110], afterUnloadBytes: [110, 120] });
  });

  it('keeps harness drift between switches in every series (worked example)', () => {
    // Between switches the level drops by 5 (a trim); a's switches change +2, b's +3.
    const switches = [
      switchLevels('a', 1000, 1002),
      switchLevels('b', 997, 1000),
      switchLevels('a', 995, 997),
      switchLevels('b', 992, 995),
    ];
    const series = attributeToModels(switches);
    // a: before 1000, 995 - 3 = 992; after 1002, 997 - 3 = 994
    expect(series.get('a')).toEqual({ beforeLoadBytes: [1000, 992], afterUnloadBytes: [1002, 994] });
    // b: before 997 - 2 = 995, 992 - 4 = 988; after 1000 - 2 = 998, 995 - 4 = 991
    expect(series.get('b')).toEqual({ beforeLoadBytes: [995, 988], afterUnloadBytes: [998, 991] });
  });
});
