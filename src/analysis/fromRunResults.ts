import type { ProbeSample } from '../results/ProbeSample.js';
import type { ModelIteration, RunResults } from '../results/RunResults.js';
import { attributeToModels, type AttributedLevels, type SwitchLevels } from './attributeToModels.js';
import { type ModelSeries, type ProcessLevels, SIGNAL_READERS, type Signal, type SignalReaders } from './Signal.js';

/**
 * Turns a run's records into one ModelSeries per model (results.models order, then any other model key
 * found in the records), samples ordered by iteration. After-unload series count only the model's own
 * switches (attributeToModels): models share the worker, and one model's leak must not show in another's.
 * A signal is kept only when every record of that
 * model has a finite value for it, so heapInUse disappears off glibc instead of carrying nulls.
 */
export function fromRunResults(results: RunResults, readers: SignalReaders = SIGNAL_READERS): ModelSeries[] {
  const labels = new Map(results.models.map((m) => [m.key, m.label]));
  const keys = [...labels.keys()];
  for (const r of results.records) if (!keys.includes(r.modelKey)) keys.push(r.modelKey);
  // Sorted and attributed once per signal, not once per model and level: linear in the records.
  const signals = attributedSignals(results.records, readers);
  return keys.map((modelKey) => ({
    modelKey,
    label: labels.get(modelKey) ?? modelKey,
    afterUnloadBytes: attributed(signals, modelKey, 'afterUnloadBytes'),
    beforeLoadBytes: attributed(signals, modelKey, 'beforeLoadBytes'),
  }));
}

/** Per signal: every model's attributed levels, and the models with a missing or non-finite sample. */
type AttributedSignals = Map<Signal, { levels: Map<string, AttributedLevels>; incomplete: Set<string> }>;

/**
 * Each signal's levels with the other models' switch changes taken out (see attributeToModels), over
 * the records in the order they were measured (stable by iteration). Another model's switch with an
 * unknown value counts as no change, which leaves this model's series as measured.
 */
function attributedSignals(records: readonly ModelIteration[], readers: SignalReaders): AttributedSignals {
  const ordered = [...records].sort((a, b) => a.iteration - b.iteration);
  const out: AttributedSignals = new Map();
  for (const [signal, read] of Object.entries(readers) as [Signal, (s: ProbeSample) => number | null][]) {
    const incomplete = new Set<string>();
    const switches: SwitchLevels[] = [];
    for (const r of ordered) {
      const before = read(r.phases.beforeLoad);
      const after = read(r.phases.afterUnload);
      if (isFiniteNumber(before) && isFiniteNumber(after))
        switches.push({ modelKey: r.modelKey, beforeLoadBytes: before, afterUnloadBytes: after });
      else incomplete.add(r.modelKey);
    }
    out.set(signal, { levels: attributeToModels(switches), incomplete });
  }
  return out;
}

/** One model's series per signal; a signal is left out when any of the model's own samples is not finite. */
function attributed(signals: AttributedSignals, modelKey: string, levels: keyof AttributedLevels): Partial<Record<Signal, number[]>> {
  const out: Partial<Record<Signal, number[]>> = {};
  for (const [signal, { levels: bySignal, incomplete }] of signals) {
    if (incomplete.has(modelKey)) continue;
    out[signal] = bySignal.get(modelKey)?.[levels] ?? [];
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
