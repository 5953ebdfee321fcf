import type { Signal } from '../analysis/Signal.js';
import type { Metric, MetricSource } from './Metric.js';
import { KIB, MIB } from '../units.js';

const modelSummary = (source: MetricSource, modelKey: string | null) =>
  source.summary.models.find((model) => model.modelKey === modelKey);

/** The post-warm-up Theil–Sen slope of one signal (what the verdict read), bytes per switch. */
const leakMetric = (signal: Signal, absoluteBytes: number, why: string): Metric => ({
  name: `leakBytesPerSwitch.${signal}`,
  scope: 'model',
  worse: 'bigger',
  defaultTolerance: { absolute: absoluteBytes, relative: 0.5 },
  why,
  measure: (source, modelKey) =>
    source.judgement.models.find((m) => m.modelKey === modelKey)?.evidence.find((e) => e.signal === signal)
      ?.slopeBytesPerSwitch ?? null,
});

/** Every metric the baseline records and the gate compares, per model then per run. */
export const METRICS: readonly Metric[] = [
  leakMetric('heapInUse', 64 * KIB, 'heap in use after unload is near exact: 64 KiB/switch is well above its noise and far below a model-sized leak'),
  leakMetric('rssAnon', 1 * MIB, 'anonymous RSS moves in pages and with glibc arena retention'),
  leakMetric('rss', 1 * MIB, 'RSS adds file pages of mmapped models on top of RssAnon noise'),
  {
    name: 'peakRssBytes',
    scope: 'model',
    worse: 'bigger',
    defaultTolerance: { absolute: 32 * MIB, relative: 0.1 },
    why: 'VmHWM is what sizes a server; 10 % catches a new buffer, 32 MiB absorbs runtime differences',
    measure: (source, modelKey) => modelSummary(source, modelKey)?.peakRssBytes ?? null,
  },
  {
    name: 'ttftMs',
    scope: 'model',
    worse: 'bigger',
    defaultTolerance: { absolute: 100, relative: 0.5 },
    why: 'first-token latency varies with machine load; only a large slowdown is a regression',
    measure: (source, modelKey) => modelSummary(source, modelKey)?.ttftMs.mean ?? null,
  },
  {
    name: 'charsPerSecond',
    scope: 'model',
    worse: 'smaller',
    defaultTolerance: { absolute: 5, relative: 0.5 },
    why: 'throughput varies with machine load; only halving it is a regression',
    measure: (source, modelKey) => modelSummary(source, modelKey)?.charsPerSecond.mean ?? null,
  },
  {
    name: 'werPercent',
    scope: 'model',
    worse: 'bigger',
    defaultTolerance: { absolute: 5, relative: 0 },
    why: 'a leak fix that breaks transcription is no fix: 5 points of character error rate',
    measure: (source, modelKey) => modelSummary(source, modelKey)?.werPercent.mean ?? null,
  },
  {
    name: 'growthBytesPerIteration',
    scope: 'run',
    worse: 'bigger',
    defaultTolerance: { absolute: 2 * MIB, relative: 0.5 },
    why: "the seed's Growth Rate: worker RSS from the first iteration's start to the last one's end, per iteration",
    measure: (source) => {
      const rate = source.summary.growthRateMbPerIteration;
      return rate === null ? null : rate * MIB;
    },
  },
];

/** Key of a measured value in a baseline: "model_06b/leakBytesPerSwitch.heapInUse" or "run/growthBytesPerIteration". */
export const metricKey = (metric: Metric, modelKey: string | null): string =>
  `${metric.scope === 'model' ? modelKey : 'run'}/${metric.name}`;
