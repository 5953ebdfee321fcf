import { MINIMUM_FLOOR_BYTES_PER_SWITCH } from '../analysis/noiseFloor.js';
import { isSamples, median } from '../analysis/statistics.js';
import type { Signal } from '../analysis/Signal.js';
import type { ModelIteration } from '../results/RunResults.js';
import { MIB } from '../units.js';

/**
 * A per-switch figure compared between base and head. A `difference` metric is compared as head − base
 * (bytes per switch: a leak adds, it does not scale); a `ratio` metric as head / base (time, throughput
 * and size scale with the machine, and the ratio carries across machines where the value does not).
 */
export interface CompareMetric {
  name: string;
  /** Unit of the per-switch value: "B/switch", "ms", "chars/s", "B". */
  unit: string;
  kind: 'difference' | 'ratio';
  worse: 'bigger' | 'smaller';
  /**
   * How far head may be worse on purpose: bytes/switch for a difference, a factor for a ratio (1.15 =
   * 15 % slower). The comparison fails only when the whole 95 % interval lies beyond it (and beyond the
   * metric's resolution, when it has one).
   */
  tolerance: number;
  /**
   * The least difference the measurement can resolve, for the switches compared, in the tolerance's unit
   * (a factor for a ratio): a difference within it is noise, whatever the interval says; absent: none
   * beyond the tolerance.
   */
  resolution?(records: readonly ModelIteration[]): number;
  why: string;
  /** The figure of one measured switch, or null when the switch did not measure it. */
  perSwitch(record: ModelIteration): number | null;
}

/** What a switch adds to RSS at its peak: its highest RSS less its RSS before the load. */
const peakRssGrowthBytes = (record: ModelIteration): number =>
  Math.max(...Object.values(record.phases).map((sample) => sample.rssBytes)) - record.phases.beforeLoad.rssBytes;

/** How far a switch's peak moves between two identical workers: their runtimes' own allocations. */
const PEAK_GROWTH_NOISE_BYTES = 2 * MIB;

const heapOr = (record: ModelIteration, phase: 'beforeLoad' | 'afterUnload'): number =>
  record.phases[phase].heapInUseBytes ?? record.phases[phase].rssAnonBytes;

/** The signal heapOr reads: heap in use when every switch measured it, else RssAnon. */
const leakSignal = (records: readonly ModelIteration[]): Signal =>
  records.length > 0 &&
  records.every((r) => typeof r.phases.afterUnload.heapInUseBytes === 'number' && typeof r.phases.beforeLoad.heapInUseBytes === 'number')
    ? 'heapInUse'
    : 'rssAnon';

/**
 * A leak's resolution is its signal's minimum noise floor (heap in use 4 KiB/switch: the worker's own
 * runtime drift; RssAnon 64 KiB: page churn). The data-driven part of a verdict's floor is not added:
 * it guards a level series against carried-over drift, while the interval here is taken from the
 * per-switch changes themselves and already carries their noise (on pin + #115 a one-time 360 KiB
 * drop of the heap level gave base a 43.7 KiB/switch floor that would have hidden a 16 KiB leak).
 */
function leakResolution(records: readonly ModelIteration[]): number {
  return MINIMUM_FLOOR_BYTES_PER_SWITCH[leakSignal(records)];
}

/** What head is compared with base on, per model, in order. */
export const COMPARE_METRICS: readonly CompareMetric[] = [
  {
    name: 'leakBytesPerSwitch',
    unit: 'B/switch',
    kind: 'difference',
    worse: 'bigger',
    tolerance: 0,
    why:
      'what a switch leaves behind (heap in use after unload − before load; RssAnon off glibc): any more than base, ' +
      "by more than the signal's noise floor at 95 %, is a leak the bump adds (an allowance may be set on purpose)",
    perSwitch: (record) => heapOr(record, 'afterUnload') - heapOr(record, 'beforeLoad'),
    resolution: leakResolution,
  },
  {
    name: 'ttftMs',
    unit: 'ms',
    kind: 'ratio',
    worse: 'bigger',
    tolerance: 1.15,
    why: 'first-token latency: 15 % slower, with the whole interval beyond it, is a regression; run-to-run noise is not',
    perSwitch: (record) => record.ttftMs,
  },
  {
    name: 'charsPerSecond',
    unit: 'chars/s',
    kind: 'ratio',
    worse: 'smaller',
    tolerance: 1 / 1.15,
    why: 'throughput: the mirror of the TTFT tolerance',
    perSwitch: (record) => record.charsPerSecond,
  },
  {
    name: 'peakRssGrowthBytes',
    unit: 'B',
    kind: 'ratio',
    worse: 'bigger',
    tolerance: 1.1,
    why:
      'what a switch adds to RSS at its peak (highest RSS of the switch − RSS before its load): 10 % more sizes servers ' +
      "differently. Taken from the switch's own start, so the worker's runtime level (Node's heap, a few MiB that differ " +
      'between two workers and stay) cancels: with absolute peaks, two identical reference engines differed by 10 % in 1 of 20 compares',
    perSwitch: peakRssGrowthBytes,
    // A worker's own runtime moves a switch's peak by about 1 MiB between two identical runs (×1.133 on
    // 7.5 MiB once in CI): a small model's growth is held to that, a real model's (GiB) to the 10 %.
    resolution: (records) => {
      const growths = records.map(peakRssGrowthBytes);
      const growth = isSamples(growths) ? median(growths) : 0;
      return growth > 0 ? 1 + PEAK_GROWTH_NOISE_BYTES / growth : 1;
    },
  },
];

/**
 * Switches a model's first load spends on one-off set-up (allocator arenas, backend registries) that
 * base and head both pay; leaving them out keeps that step out of the per-switch figures.
 */
export const WARMUP_SWITCHES = 1;
