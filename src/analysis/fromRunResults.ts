import type { ProbeSample } from '../results/ProbeSample.js';
import type { ModelIteration, RunResults } from '../results/RunResults.js';
import { attributeToModels, type AttributedLevels } from './attributeToModels.js';
import type { ModelSeries, ProcessLevels, Signal } from './Signal.js';

/** Where each signal lives in a probe sample. heapInUse is null off glibc. */
const SIGNAL_READERS: Readonly<Record<Signal, (sample: ProbeSample) => number | null>> = {
  heapInUse: (s) => s.heapInUseBytes,
  rssAnon: (s) => s.rssAnonBytes,
  rss: (s) => s.rssBytes,
};

/**
 * Turns a run's records into one ModelSeries per model (results.models order, then any other model key
 * found in the records), samples ordered by iteration. After-unload series count only the model's own
 * cycles (attributeToModels): models share the worker, and one model's leak must not show in another's.
 * A signal is kept only when every record of that
 * model has a finite value for it, so heapInUse disappears off glibc instead of carrying nulls.
 */
export function fromRunResults(results: RunResults): ModelSeries[] {
  const labels = new Map(results.models.map((m) => [m.key, m.label]));
  const keys = [...labels.keys()];
  for (const r of results.records) if (!keys.includes(r.modelKey)) keys.push(r.modelKey);
  return keys.map((modelKey) => {
    const records = results.records
      .filter((r) => r.modelKey === modelKey)
      .sort((a, b) => a.iteration - b.iteration);
    return {
      modelKey,
      label: labels.get(modelKey) ?? modelKey,
      afterUnloadBytes: attributed(results.records, modelKey, 'afterUnloadBytes'),
      beforeLoadBytes: attributed(results.records, modelKey, 'beforeLoadBytes'),
    };
  });
}

/**
 * Each signal's after-unload series of one model with the other models' cycle changes taken out
 * (see attributeToModels), over the records in the order they were measured (stable by iteration).
 * The model's own samples must all be finite; another model's cycle with an unknown value counts as
 * no change, which leaves this model's series as measured.
 */
function attributed(
  records: readonly ModelIteration[],
  modelKey: string,
  levels: keyof AttributedLevels,
): Partial<Record<Signal, number[]>> {
  const ordered = [...records].sort((a, b) => a.iteration - b.iteration);
  const own = ordered.filter((r) => r.modelKey === modelKey);
  const out: Partial<Record<Signal, number[]>> = {};
  for (const [signal, read] of Object.entries(SIGNAL_READERS) as [Signal, (s: ProbeSample) => number | null][]) {
    if (!own.every((r) => isFiniteNumber(read(r.phases.beforeLoad)) && isFiniteNumber(read(r.phases.afterUnload)))) continue;
    const cycles = ordered.flatMap((r) => {
      const before = read(r.phases.beforeLoad);
      const after = read(r.phases.afterUnload);
      return isFiniteNumber(before) && isFiniteNumber(after) ? [{ modelKey: r.modelKey, beforeLoadBytes: before, afterUnloadBytes: after }] : [];
    });
    out[signal] = attributeToModels(cycles).get(modelKey)?.[levels] ?? [];
  }
  return out;
}

const isFiniteNumber = (v: number | null): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The process's levels per iteration (see ProcessLevels), over the records in the order measured: the
 * first record's before-load sample, then each iteration's last record's after-unload sample. A signal
 * is kept only when all of those samples are finite.
 */
export function processLevels(results: RunResults): ProcessLevels {
  const ordered = [...results.records].sort((a, b) => a.iteration - b.iteration);
  const first = ordered[0];
  if (!first) return {};
  const lastOfIteration = new Map<number, ModelIteration>();
  for (const r of ordered) lastOfIteration.set(r.iteration, r);
  const out: ProcessLevels = {};
  for (const [signal, read] of Object.entries(SIGNAL_READERS) as [Signal, (s: ProbeSample) => number | null][]) {
    const values = [read(first.phases.beforeLoad), ...[...lastOfIteration.values()].map((r) => read(r.phases.afterUnload))];
    if (values.every(isFiniteNumber)) out[signal] = values as number[];
  }
  return out;
}
