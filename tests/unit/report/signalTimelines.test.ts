import { describe, expect, it } from 'vitest';
import { fromRunResults } from '../../../src/analysis/fromRunResults.js';
import { analyzeResults } from '../../../src/analysis/analyzeResults.js';
import { signalTimelines, type SignalTimeline } from '../../../src/report/charts/signalTimelines.js';
import type { RunResults } from '../../../src/results/RunResults.js';
import {
  BASELINE_HEAP_BYTES,
  INFER_BYTES,
  LOAD_BYTES,
  cleanModel,
  leakingModel,
  plateauModel,
  syntheticRun,
} from './fixtures/syntheticRun.js';
import { MIB } from '../../../src/units.js';

function timelines(results: RunResults): SignalTimeline[] {
  return signalTimelines(results, fromRunResults(results), analyzeResults(results).judgement.models);
}

function heapOf(all: SignalTimeline[], modelKey: string): SignalTimeline {
  const found = all.find((t) => t.modelKey === modelKey && t.signal === 'heapInUse');
  if (!found) throw new Error(`no heapInUse timeline for ${modelKey}`);
  return found;
}

describe('signalTimelines', () => {
  it('plots a planted 1 MiB/switch leak as the verdict saw it: baseline, 20 points, an exact line, a zero-width band', () => {
    const all = timelines(syntheticRun([leakingModel()], 20));
    expect(all.map((t) => t.signal)).toEqual(['heapInUse', 'rssAnon', 'rss']);
    const heap = heapOf(all, 'model_leak');
    expect(heap.deciding).toBe(true);
    expect(heap.attributed).toBe(false);
    expect(heap.points).toHaveLength(21);
    heap.points.forEach((p, k) => {
      expect(p.switchIndex).toBe(k);
      expect(p.bytes).toBe(BASELINE_HEAP_BYTES + k * MIB);
      expect(p.warmup).toBe(false);
    });
    expect(heap.warmup).toBeNull();
    expect(heap.fit.slopeBytesPerSwitch).toBeCloseTo(MIB, 6);
    expect(heap.fit.interceptBytes).toBeCloseTo(100 * MIB, 3);
    expect(heap.fit.from).toEqual({ switchIndex: 0, bytes: expect.closeTo(100 * MIB, 3) });
    expect(heap.fit.to).toEqual({ switchIndex: 20, bytes: expect.closeTo(120 * MIB, 3) });
    expect(heap.ciBand?.map((b) => b.switchIndex)).toEqual([0, 10, 20]);
    for (const b of heap.ciBand ?? []) {
      expect(b.lowBytes).toBeCloseTo(100 * MIB + b.switchIndex * MIB, 3);
      expect(b.highBytes).toBeCloseTo(b.lowBytes, 3);
    }
  });

  it('shades the plateau warm-up up to the cut and fits the flat rest', () => {
    const heap = heapOf(timelines(syntheticRun([plateauModel()], 20)), 'model_plateau');
    expect(heap.evidence.verdict).toBe('plateau');
    expect(heap.evidence.warmupSwitches).toBe(5);
    expect(heap.warmup).toEqual({ fromSwitch: 0, toSwitch: 5 });
    expect(heap.points.filter((p) => p.warmup).map((p) => p.switchIndex)).toEqual([0, 1, 2, 3, 4]);
    expect(heap.points[3]!.bytes).toBe(124 * MIB);
    expect(heap.fit.slopeBytesPerSwitch).toBe(0);
    expect(heap.fit.from).toEqual({ switchIndex: 5, bytes: 140 * MIB });
    expect(heap.fit.to).toEqual({ switchIndex: 20, bytes: 140 * MIB });
  });

  it('draws the Theil–Sen line and CI band computed by hand on a five-point series', () => {
    // y = 100, 102, 101, 103, 105 MiB. Pairwise slopes sorted: -1, .5, .5, 1, 1, 1.25, 2, 2, 2, 2 → median 1.125;
    // y − 1.125x = 0, .875, -1.25, -.375, .5 (+100) → intercept 100. Sen's CI with n = 5: C = 1.96·√(300/18) = 8.0,
    // ranks round(1) = 1 and round(9) + 1 = 10 → [-1, 2] MiB/switch, pivoting at switch 2 (102.25 MiB).
    const nets = [2, -1, 2, 2];
    const heap = heapOf(timelines(syntheticRun([{ key: 'm', label: 'm', netBytes: (k) => nets[k - 1]! * MIB }], 4)), 'm');
    expect(heap.evidence.warmupSwitches).toBe(0);
    expect(heap.fit.slopeBytesPerSwitch).toBeCloseTo(1.125 * MIB, 3);
    expect(heap.fit.slopeBytesPerSwitch).toBe(heap.evidence.slopeBytesPerSwitch);
    expect(heap.fit.interceptBytes).toBeCloseTo(100 * MIB, 3);
    expect(heap.fit.to.bytes).toBeCloseTo(104.5 * MIB, 3);
    expect(heap.evidence.ci95Bytes?.map((v) => v / MIB)).toEqual([-1, 2]);
    const band = heap.ciBand!.map((b) => [b.switchIndex, b.lowBytes / MIB, b.highBytes / MIB]);
    expect(band[0]![0]).toBe(0);
    expect(band[0]![1]).toBeCloseTo(98.25, 9);
    expect(band[0]![2]).toBeCloseTo(104.25, 9);
    expect(band[1]).toEqual([2, expect.closeTo(102.25, 9), expect.closeTo(102.25, 9)]);
    expect(band[2]![1]).toBeCloseTo(100.25, 9);
    expect(band[2]![2]).toBeCloseTo(106.25, 9);
  });

  it("takes another model's leak out of a clean model's phases, keeping its load and inference deltas", () => {
    const results = syntheticRun([cleanModel(), leakingModel()], 10);
    const clean = heapOf(timelines(results), 'model_clean');
    expect(clean.attributed).toBe(true);
    expect(clean.points.map((p) => p.bytes)).toEqual(Array(11).fill(100 * MIB));
    for (let k = 1; k <= 10; k++) {
      const phase = (name: string): number => clean.phases.find((p) => p.switchIndex === k && p.phase === name)!.bytes;
      expect(phase('beforeLoad')).toBe(100 * MIB);
      expect(phase('afterLoad')).toBe(100 * MIB + LOAD_BYTES);
      expect(phase('afterInfer')).toBe(100 * MIB + LOAD_BYTES + INFER_BYTES);
      expect(phase('afterUnload')).toBe(clean.points[k]!.bytes);
    }
    // As measured, the clean model's after-unload rises with the other model's leak.
    const measured = results.records.filter((r) => r.modelKey === 'model_clean').map((r) => r.phases.afterUnload.heapInUseBytes);
    expect(measured[9]).toBe(109 * MIB);
  });

  it('leaves out signals the verdict did not judge (heap in use off glibc)', () => {
    const results = syntheticRun([leakingModel()], 6);
    for (const r of results.records) for (const s of Object.values(r.phases)) s.heapInUseBytes = null;
    expect(timelines(results).map((t) => [t.signal, t.deciding])).toEqual([
      ['rssAnon', true],
      ['rss', false],
    ]);
  });
});
