import type { CountKind } from '../analysis/judgeCounts.js';
import type { RunJudgement } from '../analysis/judgeRun.js';
import type { ProbeSample } from '../results/ProbeSample.js';
import type { RunResults } from '../results/RunResults.js';
import type { RunSummary } from '../results/summarizeRun.js';
import { allocatorFreeBytes } from '../analysis/allocatorRetention.js';
import { assessSignal } from '../analysis/assessSignal.js';
import { fromRunResults } from '../analysis/fromRunResults.js';
import { SIGNAL_READERS, type Signal, type SignalReaders } from '../analysis/Signal.js';
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

/** A slope a verdict read (a leak's rate), bigger being worse, allowed to move by max(absolute, 50 %). */
const slopeMetric = (
  name: string,
  scope: Metric['scope'],
  absolute: number,
  why: string,
  read: (source: MetricSource, modelKey: string | null) => number | undefined,
): Metric => ({
  name,
  scope,
  worse: 'bigger',
  defaultTolerance: { absolute, relative: 0.5 },
  why,
  measure: (source, modelKey) => read(source, modelKey) ?? null,
});

/** The name of the metric that holds a leak on one signal: a model's per switch, the whole process's ('run') per iteration. */
export const leakMetricName = (scope: Metric['scope'], signal: Signal): string =>
  `${scope === 'model' ? 'leakBytesPerSwitch' : 'leakBytesPerIteration'}.${signal}`;

/** The post-warm-up Theil–Sen slope of one signal (what the verdict read), bytes per switch. */
const leakMetric = (signal: Signal, absoluteBytes: number, why: string): Metric =>
  slopeMetric(
    leakMetricName('model', signal),
    'model',
    absoluteBytes,
    why,
    (source, modelKey) =>
      source.judgement.models.find((m) => m.modelKey === modelKey)?.evidence.find((e) => e.signal === signal)?.slopeBytesPerSwitch,
  );

/** The name of the metric that holds a count's accepted leak. */
export const countLeakMetricName = (kind: CountKind): string => `leakCountPerSwitch.${kind}`;

/**
 * A count's slope per switch (fds, threads, or unloads that left the model file mapped), Theil–Sen over
 * its after-unload series: what holds an accepted count leak (one fd per load accepted, three fail).
 */
const countLeakMetric = (kind: CountKind, why: string): Metric =>
  slopeMetric(
    countLeakMetricName(kind),
    'model',
    0.5,
    why,
    (source, modelKey) => source.judgement.counts.find((c) => c.modelKey === modelKey && c.kind === kind)?.perSwitch,
  );

/** The whole process's post-warm-up slope of one signal (two models or more), bytes per iteration: what holds an accepted process leak. */
const processLeakMetric = (signal: Signal, absoluteBytes: number, why: string): Metric =>
  slopeMetric(
    leakMetricName('run', signal),
    'run',
    absoluteBytes,
    why,
    (source) => source.judgement.process?.evidence.find((e) => e.signal === signal)?.slopeBytesPerSwitch,
  );

/**
 * RSS and RssAnon less what malloc's arenas hold free at that moment (mallinfo2 fordblks), where known:
 * what the process uses. glibc's retention of freed arena memory moved chatllm.cpp's RSS by gigabytes
 * between identical runs (pin + #115, 0.6B/1.7B twins: peak 1.8 GiB in one run, 4.7 GiB in the next,
 * 3.9 GiB free in the arenas after unload and given back by malloc_trim), with every verdict a plateau.
 * The retention itself is reported after each run; the gate compares the memory in use.
 */
function inUseReaders(results: RunResults): SignalReaders {
  // With --trim the worker gave the free pages back after each unload: its free chunks are not resident.
  const freeBytes = (s: ProbeSample): number => (results.config.trim ? 0 : (s.mallocFreeBytes ?? allocatorFreeBytes(s) ?? 0));
  return { ...SIGNAL_READERS, rssAnon: (s) => s.rssAnonBytes - freeBytes(s), rss: (s) => s.rssBytes - freeBytes(s) };
}

const inUseSeries = new WeakMap<RunResults, ReturnType<typeof fromRunResults>>();

/** The post-warm-up slope of RSS or RssAnon in use (inUseReaders), assessed as the verdicts assess theirs. */
const inUseLeakMetric = (signal: 'rssAnon' | 'rss', absoluteBytes: number, why: string): Metric => ({
  ...leakMetric(signal, absoluteBytes, why),
  measure: ({ results }, modelKey) => {
    let series = inUseSeries.get(results);
    if (!series) inUseSeries.set(results, (series = fromRunResults(results, inUseReaders(results))));
    const values = series.find((m) => m.modelKey === modelKey)?.afterUnloadBytes[signal];
    return values && values.length >= 2 ? assessSignal(signal, values).slopeBytesPerSwitch : null;
  },
});

/** Peak RSS after load or inference, less what malloc held free then (see inUseReaders). */
const peakRssInUse = (results: RunResults, modelKey: string): number | null => {
  const records = results.records.filter((r) => r.modelKey === modelKey);
  if (records.length === 0) return null;
  const readers = inUseReaders(results);
  const inUse = records.flatMap((r) => [r.phases.afterLoad, r.phases.afterInfer]).map((s) => readers.rss(s) ?? s.rssBytes);
  return Math.max(...inUse);
};

/** Every metric the baseline records and the gate compares, per model then per run. */
export const METRICS: readonly Metric[] = [
  leakMetric(
    'engineHeap',
    1 * KIB,
    "the engine's own memory is counted to the byte: 1 KiB/switch is far above a plateau's last doublings (about 100 B/switch)",
  ),
  leakMetric(
    'heapInUse',
    64 * KIB,
    'heap in use after unload is near exact: 64 KiB/switch is well above its noise and far below a model-sized leak',
  ),
  leakMetric(
    'outsideMalloc',
    1 * MIB,
    'anonymous memory outside malloc moves by pages and thread stacks: its floor is 256 KiB/switch, its steps swing wider',
  ),
  inUseLeakMetric('rssAnon', 1 * MIB, "anonymous RSS in use (less malloc's free arena memory) moves in pages"),
  inUseLeakMetric('rss', 1 * MIB, 'RSS in use adds file pages of mmapped models on top of RssAnon noise'),
  {
    name: 'peakRssBytes',
    scope: 'model',
    worse: 'bigger',
    defaultTolerance: { absolute: 32 * MIB, relative: 0.1 },
    why:
      "peak RSS in use (less malloc's free arena memory) sizes a server that trims after unload; " +
      '10 % catches a new buffer, 32 MiB absorbs runtime differences',
    measure: ({ results }, modelKey) => (modelKey === null ? null : peakRssInUse(results, modelKey)),
  },
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
  countLeakMetric('fd', 'counts are whole: half an fd per switch above the baseline is a new one every other load'),
  countLeakMetric('thread', 'counts are whole: half a thread per switch above the baseline is a new one every other load'),
  countLeakMetric('mapping', 'counts are whole: half a kept mapping per switch above the baseline is one every other unload'),
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
  processLeakMetric('engineHeap', 2 * KIB, "the engine's own memory over all models, to the byte: twice a model's 1 KiB/switch"),
  processLeakMetric('heapInUse', 128 * KIB, "the worker's heap in use over all models: twice a model's 64 KiB/switch"),
  processLeakMetric('outsideMalloc', 2 * MIB, "memory outside malloc over all models: twice a model's 1 MiB/switch"),
];

/** Key of a measured value in a baseline: "model_06b/leakBytesPerSwitch.heapInUse" or "run/growthBytesPerIteration". */
export const metricKey = (metric: Metric, modelKey: string | null): string =>
  `${metric.scope === 'model' ? modelKey : 'run'}/${metric.name}`;
