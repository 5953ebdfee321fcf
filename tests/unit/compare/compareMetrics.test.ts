import { describe, expect, it } from 'vitest';
import { MINIMUM_FLOOR_BYTES_PER_SWITCH } from '../../../src/analysis/noiseFloor.js';
import { COMPARE_METRICS } from '../../../src/compare/compareMetrics.js';
import type { ModelIteration } from '../../../src/results/RunResults.js';

/** A switch whose heap in use is `heapInUseBytes` (null off glibc) and whose RssAnon rose by 8 KiB. */
const record = (iteration: number, heapInUseBytes: number | null): ModelIteration =>
  ({
    iteration,
    phases: {
      beforeLoad: { heapInUseBytes, rssAnonBytes: 100_000 + iteration * 8192 },
      afterUnload: { heapInUseBytes, rssAnonBytes: 108_192 + iteration * 8192 },
    },
  }) as unknown as ModelIteration;

describe('the leak difference in compare', () => {
  const leak = COMPARE_METRICS.find((m) => m.name === 'leakBytesPerSwitch')!;

  it("is resolved to heap in use's floor where every switch measured heap in use", () => {
    const records = [1, 2, 3].map((i) => record(i, 5_000_000));
    expect(leak.resolution!(records)).toBe(MINIMUM_FLOOR_BYTES_PER_SWITCH.heapInUse);
    expect(leak.perSwitch(records[0]!)).toBe(0);
  });

  it("is read on RssAnon, at RssAnon's floor, where heap in use is not measured (null off glibc)", () => {
    const records = [1, 2, 3].map((i) => record(i, null));
    expect(leak.perSwitch(records[0]!)).toBe(8192);
    expect(leak.resolution!(records)).toBe(MINIMUM_FLOOR_BYTES_PER_SWITCH.rssAnon);
  });
});
