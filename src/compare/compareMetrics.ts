import { MINIMUM_FLOOR_BYTES_PER_SWITCH } from '../analysis/noiseFloor.js';
import type { ModelJudgement } from '../analysis/judgeModel.js';
import type { Signal } from '../analysis/Signal.js';
import type { ModelIteration } from '../results/RunResults.js';

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
   * The least difference the measurement can resolve, from the two sides' judgements of the model (a
   * difference within it is noise, whatever the interval says); absent: none beyond the tolerance.
   */
  resolution?(base: ModelJudgement | null, head: ModelJudgement | null, records: readonly ModelIteration[]): number;
  why: string;
  /** The figure of one measured switch, or null when the switch did not measure it. */
  perSwitch(record: ModelIteration): number | null;
}

const heapOr = (record: ModelIteration, phase: 'beforeLoad' | 'afterUnload'): number =>
  record.phases[phase].heapInUseBytes ?? record.phases[phase].rssAnonBytes;

/** The signal heapOr reads: heap in use when every switch measured it, else RssAnon. */
const leakSignal = (records: readonly ModelIteration[]): Signal =>
  records.length > 0 && records.every((r) => r.phases.afterUnload.heapInUseBytes !== undefined && r.phases.beforeLoad.heapInUseBytes !== undefined)
    ? 'heapInUse'
    : 'rssAnon';

/**
 * A leak's resolution is its signal's noise floor: the larger of the two sides' floors for that signal
 * (each at least MINIMUM_FLOOR_BYTES_PER_SWITCH), so a difference has to clear the noise of both.
 */
function leakResolution(base: ModelJudgement | null, head: ModelJudgement | null, records: readonly ModelIteration[]): number {
  const signal = leakSignal(records);
  const floors = [base, head].map((j) => j?.evidence.find((e) => e.signal === signal)?.floorBytesPerSwitch ?? 0);
  return Math.max(MINIMUM_FLOOR_BYTES_PER_SWITCH[signal], ...floors);
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
    perSwitch: (record) => Math.max(...Object.values(record.phases).map((sample) => sample.rssBytes)) - record.phases.beforeLoad.rssBytes,
  },
];

/**
 * Switches a model's first load spends on one-off set-up (allocator arenas, backend registries) that
 * base and head both pay; leaving them out keeps that step out of the per-switch figures.
 */
export const WARMUP_SWITCHES = 1;
