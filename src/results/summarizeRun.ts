import type { ModelIteration, RunResults } from './RunResults.js';
import { MIB } from '../units.js';

/** Mean, spread and range of one per-iteration figure (nulls — e.g. no transcript, no TTFT — left out). */
export interface Spread {
  mean: number | null;
  /** Sample standard deviation; null below two values. */
  stdDev: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

export interface ModelSummary {
  modelKey: string;
  label: string;
  switches: number;
  meanLoadOverheadMb: number;
  meanUnloadReleaseMb: number;
  /** The seed's "net leak": after-unload minus before-load RSS, mean per switch. */
  meanNetLeakMb: number;
  /** The same net leak, in bytes, for each signal. */
  meanNetLeakBytes: { rss: number; rssAnon: number; heap: number | null };
  ttftMs: Spread;
  charsPerSecond: Spread;
  werPercent: Spread;
  /** Switches whose transcript came back empty (missing audio or ffmpeg make chatllm.cpp transcribe nothing). */
  emptyTranscripts: number;
  lastTranscript: string | null;
  /** Highest RSS sampled after load or after inference of this model. */
  peakRssBytes: number;
}

export interface RunSummary {
  models: ModelSummary[];
  initialMemoryMb: number | null;
  finalMemoryMb: number | null;
  totalGrowthMb: number | null;
  growthRateMbPerIteration: number | null;
  iterations: number;
}

/** The seed's summary figures (and leakgate's additions) over the records measured so far. */
export function summarizeRun(results: Pick<RunResults, 'records' | 'models'>): RunSummary {
  const models = results.models.map((model) =>
    summarizeModel(
      model.key,
      model.label,
      results.records.filter((r) => r.modelKey === model.key),
    ),
  );
  const first = results.records[0];
  const lastIteration = results.records.at(-1)?.iteration ?? 0;
  const last = results.records.at(-1);
  const iterations = lastIteration;
  const initialMemoryMb = first ? first.phases.beforeLoad.rssBytes / MIB : null;
  const finalMemoryMb = last ? last.phases.afterUnload.rssBytes / MIB : null;
  const totalGrowthMb = initialMemoryMb !== null && finalMemoryMb !== null ? finalMemoryMb - initialMemoryMb : null;
  return {
    models,
    initialMemoryMb,
    finalMemoryMb,
    totalGrowthMb,
    growthRateMbPerIteration: totalGrowthMb !== null && iterations > 0 ? totalGrowthMb / iterations : null,
    iterations,
  };
}

function summarizeModel(modelKey: string, label: string, records: ModelIteration[]): ModelSummary {
  const mean = (values: number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
  const net = (pick: (r: ModelIteration, phase: 'beforeLoad' | 'afterUnload') => number): number =>
    mean(records.map((r) => pick(r, 'afterUnload') - pick(r, 'beforeLoad')));
  const heapKnown = records.length > 0 && records.every((r) => r.phases.beforeLoad.heapInUseBytes !== null);
  return {
    modelKey,
    label,
    switches: records.length,
    meanLoadOverheadMb: mean(records.map((r) => r.phases.afterLoad.rssBytes - r.phases.beforeLoad.rssBytes)) / MIB,
    meanUnloadReleaseMb: mean(records.map((r) => r.phases.afterLoad.rssBytes - r.phases.afterUnload.rssBytes)) / MIB,
    meanNetLeakMb: net((r, p) => r.phases[p].rssBytes) / MIB,
    meanNetLeakBytes: {
      rss: net((r, p) => r.phases[p].rssBytes),
      rssAnon: net((r, p) => r.phases[p].rssAnonBytes),
      heap: heapKnown ? net((r, p) => r.phases[p].heapInUseBytes!) : null,
    },
    ttftMs: spread(records.map((r) => r.ttftMs)),
    charsPerSecond: spread(records.map((r) => r.charsPerSecond)),
    werPercent: spread(records.map((r) => r.werPercent)),
    emptyTranscripts: records.filter((r) => r.transcript.trim() === '').length,
    lastTranscript: records.at(-1)?.transcript ?? null,
    // The process-wide VmHWM would mix models: take the highest RSS sampled while this model was loaded.
    peakRssBytes: records.reduce((peak, r) => Math.max(peak, r.phases.afterLoad.rssBytes, r.phases.afterInfer.rssBytes), 0),
  };
}

/** Mean, sample standard deviation and range of the non-null values. */
function spread(values: readonly (number | null)[]): Spread {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return { mean: null, stdDev: null, min: null, max: null, count: 0 };
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  const stdDev = known.length > 1 ? Math.sqrt(known.reduce((a, v) => a + (v - mean) ** 2, 0) / (known.length - 1)) : null;
  // reduce, not Math.min(...known): spreading 100,000+ values overflows the call stack.
  return { mean, stdDev, min: known.reduce((a, b) => Math.min(a, b)), max: known.reduce((a, b) => Math.max(a, b)), count: known.length };
}
