import { describe, expect, it } from 'vitest';
import { MINIMUM_FLOOR_BYTES_PER_SWITCH } from '../../../src/analysis/noiseFloor.js';
import { COMPARE_METRICS } from '../../../src/compare/compareMetrics.js';
import type { ModelIteration } from '../../../src/results/RunResults.js';
import { MIB } from '../../../src/units.js';

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

describe("a switch's peak RSS growth in compare", () => {
  const peak = COMPARE_METRICS.find((m) => m.name === 'peakRssGrowthBytes')!;
  /** A switch whose RSS rises by `growthBytes` from before its load to its peak. */
  const grown = (growthBytes: number): ModelIteration =>
    ({
      phases: {
        beforeLoad: { rssBytes: 100 * MIB },
        afterLoad: { rssBytes: 100 * MIB + growthBytes },
        afterInfer: { rssBytes: 100 * MIB + growthBytes / 2 },
        afterUnload: { rssBytes: 100 * MIB },
      },
    }) as unknown as ModelIteration;

  it("holds a small model's growth to the worker's own 2 MiB of noise, not to 10 % of it", () => {
    expect(peak.perSwitch(grown(8 * MIB))).toBe(8 * MIB);
    expect(peak.resolution!([grown(8 * MIB), grown(8 * MIB), grown(8 * MIB)])).toBeCloseTo(1.25, 10);
  });

  it("holds a real model's growth (1 GiB) to the 10 % tolerance", () => {
    expect(Math.max(peak.tolerance, peak.resolution!([grown(1024 * MIB)]))).toBe(peak.tolerance);
  });
});
