import type { RunJudgement } from '../analysis/judgeRun.js';
import type { RunResults } from '../results/RunResults.js';
import type { RunSummary } from '../results/summarizeRun.js';
import type { Signal } from '../analysis/Signal.js';
import { KIB, MIB } from '../units.js';

/** Everything a metric may be computed from. */
export interface MetricSource {
  results: RunResults;
  summary: RunSummary;
  judgement: RunJudgement;
}

/** How far a metric may move in its worse direction before the gate fails: max(absolute, relative × |baseline|). */
export interface Tolerance {
  /** In the metric's own unit (the unit is in the metric's name). */
  absolute: number;
  /** Fraction of the baseline value. */
  relative: number;
}

/**
 * A figure the gate compares with the baseline. Names carry their unit; `worse` says which way
 * is a regression (after github-action-benchmark's bigger-is-better / smaller-is-better).
 */
export interface Metric {
  /** e.g. "leakBytesPerSwitch.heapInUse" (per model) or "growthBytesPerIteration" (run-wide). */
  name: string;
  scope: 'model' | 'run';
  worse: 'bigger' | 'smaller';
  defaultTolerance: Tolerance;
  /** Why the default tolerance is what it is. */
  why: string;
  /** The measured value, or null when the run did not measure it (e.g. no truth → no WER). */
  measure(source: MetricSource, modelKey: string | null): number | null;
}

type ModelSummary = MetricSource['summary']['models'][number];

/** A per-model figure of the run's summary (TTFT, speed, WER, peak RSS), bigger or smaller being worse. */
const summaryMetric = (
  name: string,
  worse: Metric['worse'],
  absolute: number,
  relative: number,
  why: string,
  read: (model: ModelSummary) => number | null,
): Metric => ({
  name,
  scope: 'model',
  worse,
  defaultTolerance: { absolute, relative },
  why,
  measure: (source, modelKey) => {
    const model = source.summary.models.find((m) => m.modelKey === modelKey);
    return model ? read(model) : null;
  },
});

/** The post-warm-up Theil–Sen slope of one signal (what the verdict read), bytes per switch. */
const leakMetric = (signal: Signal, absoluteBytes: number, why: string): Metric => ({
  name: `leakBytesPerSwitch.${signal}`,
  scope: 'model',
  worse: 'bigger',
  defaultTolerance: { absolute: absoluteBytes, relative: 0.5 },
  why,
  measure: (source, modelKey) =>
    source.judgement.models.find((m) => m.modelKey === modelKey)?.evidence.find((e) => e.signal === signal)?.slopeBytesPerSwitch ?? null,
});

/** Every metric the baseline records and the gate compares, per model then per run. */
export const METRICS: readonly Metric[] = [
  leakMetric(
    'heapInUse',
    64 * KIB,
    'heap in use after unload is near exact: 64 KiB/switch is well above its noise and far below a model-sized leak',
  ),
  leakMetric('rssAnon', 1 * MIB, 'anonymous RSS moves in pages and with glibc arena retention'),
  leakMetric('rss', 1 * MIB, 'RSS adds file pages of mmapped models on top of RssAnon noise'),
  summaryMetric(
    'peakRssBytes',
    'bigger',
    32 * MIB,
    0.1,
    'VmHWM is what sizes a server; 10 % catches a new buffer, 32 MiB absorbs runtime differences',
    (m) => m.peakRssBytes,
  ),
  summaryMetric(
    'ttftMs',
    'bigger',
    100,
    0.5,
    'first-token latency varies with machine load; only a large slowdown is a regression',
    (m) => m.ttftMs.mean,
  ),
  summaryMetric(
    'charsPerSecond',
    'smaller',
    5,
    0.5,
    'throughput varies with machine load; only halving it is a regression',
    (m) => m.charsPerSecond.mean,
  ),
  summaryMetric(
    'werPercent',
    'bigger',
    5,
    0,
    'a leak fix that breaks transcription is no fix: 5 points of character error rate',
    (m) => m.werPercent.mean,
  ),
  {
    name: 'growthBytesPerIteration',
    scope: 'run',
    worse: 'bigger',
    defaultTolerance: { absolute: 2 * MIB, relative: 0.5 },
    why:
      "the seed's Growth Rate (worker RSS from the first iteration's start to the last one's end, per iteration), " +
      'less what the closing malloc_trim(0) gave back: memory the allocator keeps for reuse is no growth',
    measure: (source) => {
      const rate = source.summary.growthRateMbPerIteration;
      if (rate === null) return null;
      const probe = source.results.trimProbe;
      const trimmedBytes = probe ? Math.max(0, probe.before.rssAnonBytes - probe.after.rssAnonBytes) : 0;
      return rate * MIB - trimmedBytes / source.summary.iterations;
    },
  },
];

/** Key of a measured value in a baseline: "model_06b/leakBytesPerSwitch.heapInUse" or "run/growthBytesPerIteration". */
export const metricKey = (metric: Metric, modelKey: string | null): string =>
  `${metric.scope === 'model' ? modelKey : 'run'}/${metric.name}`;
