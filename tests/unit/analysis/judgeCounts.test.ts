import { describe, expect, it } from 'vitest';
import { judgeCountSeries } from '../../../src/analysis/judgeCounts.js';

// values[0] is the count before the first load, then one count after each unload.
describe('judgeCountSeries', () => {
  it('calls +1 on every load a leak at +1.0/switch', () => {
    expect(judgeCountSeries([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])).toMatchObject({
      verdict: 'leak',
      perSwitch: 1,
      growth: 10,
      switches: 10,
    });
  });

  it('finds it fast: three rising switches are enough', () => {
    expect(judgeCountSeries([8, 9, 10, 11]).verdict).toBe('leak');
    expect(judgeCountSeries([8, 9, 10])).toMatchObject({ verdict: 'undecided', moreSwitchesNeeded: 1 });
  });

  it('calls a leak on every other load a leak at +0.5/switch', () => {
    expect(judgeCountSeries([8, 9, 9, 10, 10, 11, 11, 12, 12])).toMatchObject({ verdict: 'leak', perSwitch: 0.5 });
  });

  it('calls a one-time step (a thread started once) one-time, not a leak', () => {
    expect(judgeCountSeries([12, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13])).toMatchObject({ verdict: 'one-time', growth: 1 });
    expect(judgeCountSeries([12, 13, 14, 14, 14, 14])).toMatchObject({ verdict: 'one-time', growth: 2 });
  });

  it('is undecided when a rise is too recent to tell', () => {
    expect(judgeCountSeries([12, 12, 12, 12, 12, 13])).toMatchObject({ verdict: 'undecided', moreSwitchesNeeded: 2 });
  });

  it('is clean when every unload gives the count back over 4 switches, and undecided over fewer', () => {
    // clean needs COUNT_CLEAN_SWITCHES (4) switches of evidence, as memory does: over 3, a leak every
    // fourth load could still be hiding
    expect(judgeCountSeries([8, 8, 8, 8, 8])).toMatchObject({ verdict: 'clean', moreSwitchesNeeded: null });
    expect(judgeCountSeries([8, 9, 8, 8, 8])).toMatchObject({ verdict: 'clean' });
    expect(judgeCountSeries([8, 8, 8, 8])).toMatchObject({ verdict: 'undecided', moreSwitchesNeeded: 1 });
    expect(judgeCountSeries([8, 8])).toMatchObject({ verdict: 'undecided', moreSwitchesNeeded: 3 });
    expect(judgeCountSeries([8])).toMatchObject({ verdict: 'undecided', switches: 0 });
  });
});
