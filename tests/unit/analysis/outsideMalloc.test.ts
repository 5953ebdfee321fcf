import { describe, expect, it } from 'vitest';
import { allocatorRetention } from '../../../src/analysis/allocatorRetention.js';
import { decidingEvidence } from '../../../src/analysis/decidingEvidence.js';
import { grownMappings } from '../../../src/analysis/grownMappings.js';
import type { SignalEvidence } from '../../../src/analysis/SignalEvidence.js';
import type { Signal } from '../../../src/analysis/Signal.js';
import type { Verdict } from '../../../src/analysis/Verdict.js';
import type { ProbeSample } from '../../../src/results/ProbeSample.js';
import type { ModelIteration } from '../../../src/results/RunResults.js';
import { formatRetention } from '../../../src/report/formatRetention.js';
import { GIB, KIB, MIB } from '../../../src/units.js';

const evidence = (signal: Signal, verdict: Verdict): SignalEvidence => ({
  signal,
  verdict,
  slopeBytesPerSwitch: 0,
  ci95Bytes: null,
  warmupSwitches: 0,
  warmupGrowthBytes: 0,
  floorBytesPerSwitch: 0,
  cleanFloorBytesPerSwitch: 0,
  switchesUsed: 10,
  risingSteps: 0,
  fallingSteps: 0,
  flatTailSwitches: 0,
  insufficientData: verdict === 'undecided',
  moreSwitchesNeeded: null,
  rule: verdict,
  explanation: `${signal} ${verdict}`,
});

describe('decidingEvidence', () => {
  it('is heap in use, unless memory outside malloc leaks', () => {
    expect(decidingEvidence([evidence('heapInUse', 'clean'), evidence('outsideMalloc', 'leak'), evidence('rssAnon', 'leak')])!.signal).toBe(
      'outsideMalloc',
    );
    expect(decidingEvidence([evidence('heapInUse', 'leak'), evidence('outsideMalloc', 'leak')])!.signal).toBe('heapInUse');
    // Its noise (the JS heap's pages) does not overrule heap in use's clean or plateau.
    expect(decidingEvidence([evidence('heapInUse', 'plateau'), evidence('outsideMalloc', 'undecided')])!.signal).toBe('heapInUse');
    // RSS alone never overrules heap in use: that is retention.
    expect(decidingEvidence([evidence('heapInUse', 'clean'), evidence('rssAnon', 'leak'), evidence('rss', 'leak')])!.signal).toBe(
      'heapInUse',
    );
    expect(decidingEvidence([])).toBeUndefined();
  });
});

describe('grownMappings', () => {
  it('compares by address range: a mapping that widened downwards grew by its new part only', () => {
    const before = [
      { range: '0x7f0000100000-0x7f0000300000', sizeBytes: 2 * MIB, anonymousBytes: 2 * MIB, name: '' },
      { range: '0x7f0001000000-0x7f0001200000', sizeBytes: 2 * MIB, anonymousBytes: MIB, name: '[stack]' },
    ];
    const after = [
      { range: '0x7f0000000000-0x7f0000300000', sizeBytes: 3 * MIB, anonymousBytes: 3 * MIB, name: '' }, // + 1 MiB merged below
      { range: '0x7f0001000000-0x7f0001200000', sizeBytes: 2 * MIB, anonymousBytes: MIB + 64 * KIB, name: '[stack]' }, // + 64 KiB
      { range: '0x7f0002000000-0x7f0002400000', sizeBytes: 4 * MIB, anonymousBytes: 4 * MIB, name: '' }, // new
    ];
    expect(grownMappings(before, after, 256 * KIB).map((m) => [m.range, m.grewBytes])).toEqual([
      ['0x7f0002000000-0x7f0002400000', 4 * MIB],
      ['0x7f0000000000-0x7f0000300000', MIB],
    ]);
  });
});

const sample = (over: Partial<ProbeSample>): ProbeSample => ({
  rssBytes: 0,
  rssAnonBytes: 0,
  rssFileBytes: 0,
  rssShmemBytes: 0,
  vmHwmBytes: 0,
  threads: 1,
  openFds: 3,
  modelMappings: 0,
  heapInUseBytes: 0,
  v8HeapUsedBytes: 0,
  ...over,
});
const record = (modelKey: string, iteration: number, afterUnload: Partial<ProbeSample>): ModelIteration =>
  ({
    iteration,
    modelKey,
    unloadStep: 'destroy',
    leftBehind: { fds: [], threads: [] },
    phases: { beforeLoad: sample({}), afterLoad: sample({}), afterInfer: sample({}), afterUnload: sample(afterUnload) },
    loadMs: 1,
    inferMs: 1,
    unloadMs: 1,
    ttftMs: null,
    charsPerSecond: null,
    rawOutput: '',
    language: null,
    transcriptZhTw: '',
    transcript: '',
    werPercent: null,
  }) as unknown as ModelIteration;

describe('allocatorRetention', () => {
  it("reports each model's last unload: RssAnon above the heap, the arenas' free part, outside malloc; and the closing trim", () => {
    const heap = 5.8 * MIB;
    const results = {
      models: [{ key: 'model_17b', label: '1.7B' }] as never,
      records: [
        record('model_17b', 1, {
          rssAnonBytes: GIB,
          heapInUseBytes: heap,
          mallocArenaBytes: 0.9 * GIB,
          mallocMmappedBytes: MIB,
          outsideMallocBytes: 90 * MIB,
        }),
        record('model_17b', 2, {
          rssAnonBytes: 3.7 * GIB,
          heapInUseBytes: heap,
          mallocArenaBytes: 3.6 * GIB,
          mallocMmappedBytes: MIB,
          outsideMallocBytes: 90 * MIB,
        }),
      ],
      trimProbe: {
        before: {
          rssAnonBytes: 3.7 * GIB,
          heapInUseBytes: heap,
          mallocArenaBytes: 3.6 * GIB,
          mallocMmappedBytes: MIB,
          outsideMallocBytes: 90 * MIB,
        },
        after: {
          rssAnonBytes: 0.2 * GIB,
          heapInUseBytes: heap,
          mallocArenaBytes: 0.1 * GIB,
          mallocMmappedBytes: MIB,
          outsideMallocBytes: 90 * MIB,
        },
        trimMs: 12,
      },
    };
    const retention = allocatorRetention(results);
    expect(retention.afterUnload).toHaveLength(1);
    const [row] = retention.afterUnload;
    expect(row!.iteration).toBe(2);
    expect(row!.retainedBytes).toBeCloseTo(3.7 * GIB - heap, 0);
    // arena RSS less the arenas' share of the heap (heap in use less the mmapped chunks)
    expect(row!.allocatorFreeBytes).toBeCloseTo(3.6 * GIB - (heap - MIB), 0);
    expect(retention.trim!.givenBackBytes).toBeCloseTo(3.5 * GIB, 0);
    const text = formatRetention(retention);
    expect(text).toContain('1.7B: after unload (iteration 2) RssAnon 3.7 GiB is 3.7 GiB above a 5.8 MiB heap: 3.6 GiB free in malloc');
    expect(text).toContain('90.0 MiB outside malloc');
    expect(text).toContain('malloc_trim(0) after the last switch gave back 3.5 GiB (RssAnon 3.7 GiB → 204.8 MiB)');
  });

  it('says nothing off glibc (no heap figure) and without a trim probe', () => {
    const retention = allocatorRetention({ models: [], records: [record('m', 1, { heapInUseBytes: null })], trimProbe: undefined });
    expect(retention).toEqual({ afterUnload: [], trim: null });
    expect(formatRetention(retention)).toBe('');
  });
});

describe('figures read back from a hand-edited results file', () => {
  it('skips mappings whose range or size is not what leakgate writes, instead of throwing', () => {
    const after = [
      { range: 'not a range', sizeBytes: MIB, anonymousBytes: MIB, name: '' },
      { range: '0x1000-0x2000', sizeBytes: 4096, anonymousBytes: 'lots' as unknown as number, name: '' },
      { range: '0x7f0000000000-0x7f0000100000', sizeBytes: MIB, anonymousBytes: MIB, name: '' },
    ];
    expect(
      grownMappings([{ range: 42 as unknown as string, sizeBytes: 1, anonymousBytes: 1, name: '' }], after, 0).map((m) => m.range),
    ).toEqual(['0x7f0000000000-0x7f0000100000']);
  });

  it('leaves a figure that is not a number out of what the allocator keeps', () => {
    const bad = record('m', 1, {
      rssAnonBytes: GIB,
      heapInUseBytes: MIB,
      mallocArenaBytes: 'x' as unknown as number,
      mallocMmappedBytes: 0,
      outsideMallocBytes: null,
    });
    const [row] = allocatorRetention({ models: [], records: [bad], trimProbe: null }).afterUnload;
    expect(row!.allocatorFreeBytes).toBeNull();
    expect(row!.outsideMallocBytes).toBeNull();
    expect(formatRetention(allocatorRetention({ models: [], records: [bad], trimProbe: null }))).not.toContain('NaN');
  });
});
