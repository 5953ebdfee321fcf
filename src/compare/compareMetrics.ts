import type { ModelIteration } from '../results/RunResults.js';
import { KIB } from '../units.js';

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
   * How far head may be worse: bytes/switch for a difference, a factor for a ratio (1.15 = 15 % slower).
   * The comparison fails only when the whole 95 % interval lies beyond it.
   */
  tolerance: number;
  why: string;
  /** The figure of one measured switch, or null when the switch did not measure it. */
  perSwitch(record: ModelIteration): number | null;
}

const heapOr = (record: ModelIteration, phase: 'beforeLoad' | 'afterUnload'): number =>
  record.phases[phase].heapInUseBytes ?? record.phases[phase].rssAnonBytes;

/** What head is compared with base on, per model, in order. */
export const COMPARE_METRICS: readonly CompareMetric[] = [
  {
    name: 'leakBytesPerSwitch',
    unit: 'B/switch',
    kind: 'difference',
    worse: 'bigger',
    tolerance: 64 * KIB,
    why: 'what a switch leaves behind (heap in use after unload − before load; RssAnon off glibc): 64 KiB/switch is far above its noise, far below a model-sized leak',
    perSwitch: (record) => heapOr(record, 'afterUnload') - heapOr(record, 'beforeLoad'),
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
    name: 'peakRssBytes',
    unit: 'B',
    kind: 'ratio',
    worse: 'bigger',
    tolerance: 1.1,
    why: 'the highest RSS a switch reached: 10 % more memory at peak sizes servers differently',
    perSwitch: (record) => Math.max(...Object.values(record.phases).map((sample) => sample.rssBytes)),
  },
];

/**
 * Switches a model's first load spends on one-off set-up (allocator arenas, backend registries) that
 * base and head both pay; leaving them out keeps that step out of the per-switch figures.
 */
export const WARMUP_SWITCHES = 1;
