import { describe, expect, it } from 'vitest';
import { judgeSignal } from '../../../src/analysis/judgeModel.js';

/** An exact engine-heap series: `start` bytes, then one value per switch from the given changes. */
const series = (changes: number[], start = 1000): number[] => {
  const values = [start];
  for (const d of changes) values.push(values.at(-1)! + d);
  return values;
};

describe('exact counts (engine heap) are judged like regrtest -R', () => {
  it('one 32-byte block per switch is a leak of exactly 32 B/switch', () => {
    const e = judgeSignal('engineHeap', series(Array(8).fill(32)));
    expect(e).toMatchObject({ verdict: 'leak', rule: 'exact-count-leak', slopeBytesPerSwitch: 32 });
  });

  it('4 rises in a row after a flat start are a leak; 3 are not yet', () => {
    expect(judgeSignal('engineHeap', series([0, 0, 0, 0, 16, 16, 16, 16])).verdict).toBe('leak');
    expect(judgeSignal('engineHeap', series([0, 0, 0, 0, 0, 16, 16, 16])).rule).not.toBe('exact-count-leak');
  });

  it('a block every other switch, never given back, is a leak', () => {
    const e = judgeSignal('engineHeap', series([32, 0, 32, 0, 32, 0, 32, 0, 32, 0]));
    expect(e).toMatchObject({ verdict: 'leak', rule: 'exact-count-leak' });
    expect(e.explanation).toMatch(/rose at 5 of 10 switches and never fell/);
  });

  it('a block every 6th switch is a leak whichever switch the run ends on, not a plateau 4 or 5 switches after a step', () => {
    const staircase = (switches: number) => series(Array.from({ length: switches }, (_, i) => ((i + 1) % 6 === 0 ? 4096 : 0)));
    for (const switches of [24, 26, 27, 28, 29, 30]) {
      expect(judgeSignal('engineHeap', staircase(switches)), `${switches} switches`).toMatchObject({ verdict: 'leak' });
    }
    // The same steps on heap in use, 1 MiB each: a leak, not "retained and reused since".
    const mib = series(Array.from({ length: 28 }, (_, i) => ((i + 1) % 6 === 0 ? 1 << 20 : 0)));
    expect(judgeSignal('heapInUse', mib).verdict).not.toBe('plateau');
  });

  it('a rise over consecutive switches, then level for longer than any earlier stretch, is a plateau (the control)', () => {
    const filled = judgeSignal('heapInUse', series([...Array(5).fill(1 << 20), ...Array(12).fill(0)]));
    expect(filled.verdict).toBe('plateau');
  });

  it('a series that goes up and down by the same blocks is not a leak', () => {
    expect(judgeSignal('engineHeap', series([48, -48, 48, -48, 48, -48, 48, -48, 48, -48])).verdict).not.toBe('leak');
  });

  it('a cache that filled and has stayed level since is not a leak', () => {
    expect(judgeSignal('engineHeap', series([4096, 4096, 4096, 0, 0, 0, 0, 0, 0, 0, 0])).verdict).not.toBe('leak');
  });

  it('heap in use is not judged by the exact rule: 4 rises of 16 bytes are noise there', () => {
    expect(judgeSignal('heapInUse', series([0, 0, 0, 0, 16, 16, 16, 16])).verdict).not.toBe('leak');
  });

  it('level to the byte over the last 4 switches is decided, where the interval over 5 switches cannot be', () => {
    expect(judgeSignal('engineHeap', series([0, 0, 0, 0, 0])).verdict).toBe('clean');
    // One 64-byte allocation kept from the first switch on (a stdio buffer): the interval over the window
    // reaches above the sub-byte floor for dozens of switches, but the count has not moved since.
    const once = judgeSignal('engineHeap', series([64, 0, 0, 0, 0]));
    expect(once).toMatchObject({ verdict: 'clean', rule: 'exact-count-clean' });
    expect(once.explanation).toContain('64 B kept once before that');
    // A warm-up rise (32 KiB over the first loads), then level to the byte: a plateau, not a leak.
    expect(judgeSignal('engineHeap', series([16384, 16384, 0, 0, 0, 0])).verdict).toBe('plateau');
    // Level for only 3 switches: not yet decided by the exact rules.
    expect(judgeSignal('engineHeap', series([64, 64, 0, 0, 0])).rule).not.toMatch(/^exact-count-(clean|plateau)$/);
  });

  it('heap in use is not decided by the exact level rules: a level tail there is noise, not proof', () => {
    expect(judgeSignal('heapInUse', series([64, 0, 0, 0, 0])).rule).not.toMatch(/^exact-count/);
  });
});
