import { describe, expect, it } from 'vitest';
import { switchesToDecide, type DecisionState } from '../../../src/analysis/assessSignal.js';

const state = (over: Partial<DecisionState>): DecisionState => ({
  switchesUsed: 10,
  slopeBytesPerSwitch: 1000,
  ci95Bytes: [0, 5000],
  cleanFloorBytesPerSwitch: 4000,
  floorBytesPerSwitch: 4000,
  minimumFloorBytesPerSwitch: 4000,
  ...over,
});

describe('switchesToDecide (half-widths shrink as m^-1.5, floors data terms as m^-0.5)', () => {
  it('asks for the switches that bring the upper bound under the clean floor (worked by hand)', () => {
    // slope 1000, upper half 4000, floor 4000: 1000 + 4000·(10/(10+k))^1.5 < 4000 first at k = 3
    // (k = 2: 4043; k = 3: 3698)
    expect(switchesToDecide(state({}))).toBe(3);
  });

  it('asks for the switches that bring the lower bound over a shrinking leak floor (worked by hand)', () => {
    // slope 10000, lower half 8000, leak floor 8000 (data) over a 4000 minimum:
    // 10000 − 8000·r^1.5 > max(4000, 8000·√r), r = 10/(10+k): k = 6 gives 6047 < 6325, k = 7 gives 6392 > 6135
    expect(switchesToDecide(state({ slopeBytesPerSwitch: 10000, ci95Bytes: [2000, 12000], floorBytesPerSwitch: 8000 }))).toBe(7);
  });

  it('asks for many when the slope sits between the clean and the leak floor, up to 10× the switches used', () => {
    // slope 5000 ± 1000, clean floor 4000, leak floor 8000: first decided at k = 18 (5000 − 213 > 8000·√(10/28) = 4781)
    expect(switchesToDecide(state({ slopeBytesPerSwitch: 5000, ci95Bytes: [4000, 6000], floorBytesPerSwitch: 8000 }))).toBe(18);
    // on the minimum floor itself, nothing shrinks: the cap
    expect(switchesToDecide(state({ slopeBytesPerSwitch: 4000, ci95Bytes: [3000, 5000] }))).toBe(100);
  });

  it('is at least 1', () => {
    expect(switchesToDecide(state({ ci95Bytes: [900, 1100] }))).toBe(1);
  });
});
