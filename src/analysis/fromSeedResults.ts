import { usageError } from '../errors.js';
import { MIB } from '../units.js';
import { attributeToModels, type SwitchLevels } from './attributeToModels.js';
import type { ModelSeries, ProcessLevels } from './Signal.js';

/** The seed reports memory in MB meaning MiB (psutil RSS / 1024 / 1024). */
const BYTES_PER_SEED_MB = MIB;

/**
 * Reads the seed's results JSON (already parsed) into one ModelSeries per model, RSS only, MB → bytes.
 * Models are the `model_*` keys of the first iteration, which every iteration must have; iterations are
 * ordered by their `iteration` number. Labels follow the seed's naming: model_06b → "0.6B",
 * model_17b → "1.7B", model_4b → "4B"; other keys drop the `model_` prefix (model_ref_small → "ref-small").
 * Throws usageError naming `source` and the first bad field, e.g.
 * `iterations[3].model_06b.mem_after_unload_mb is missing`.
 */
export function fromSeedResults(json: unknown, source: string): ModelSeries[] {
  const { modelKeys, switches } = seedSwitches(json, source);
  // Models share the seed's process: take the other models' switch changes out (see attributeToModels).
  const attributed = attributeToModels(switches);
  return modelKeys.map((modelKey) => ({
    modelKey,
    label: seedLabel(modelKey),
    afterUnloadBytes: { rss: attributed.get(modelKey)!.afterUnloadBytes },
    beforeLoadBytes: { rss: attributed.get(modelKey)!.beforeLoadBytes },
  }));
}

/**
 * The seed process's RSS per iteration (see ProcessLevels): before the first load, then after each
 * iteration's last unload. Throws as fromSeedResults does.
 */
export function seedProcessLevels(json: unknown, source: string): ProcessLevels {
  const { modelKeys, switches } = seedSwitches(json, source);
  const perIteration = modelKeys.length;
  const afterIterations = switches.filter((_, i) => (i + 1) % perIteration === 0).map((c) => c.afterUnloadBytes);
  return { rss: [switches[0]!.beforeLoadBytes, ...afterIterations] };
}

/** Validates a seed results JSON and lists its switches in the order the seed ran them. */
function seedSwitches(json: unknown, source: string): { modelKeys: string[]; switches: SwitchLevels[] } {
  const bad = (path: string, problem: string) =>
    usageError(`${source}: ${path} ${problem} (expected the seed's results JSON with iterations[].model_*.mem_*_mb)`);
  if (!isRecord(json)) throw bad('the top level', 'is not an object');
  const iterations = json['iterations'];
  if (!Array.isArray(iterations)) throw bad('iterations', iterations === undefined ? 'is missing' : 'is not an array');
  if (iterations.length === 0) throw bad('iterations', 'is empty');

  const rows = iterations.map((it: unknown, i) => {
    if (!isRecord(it)) throw bad(`iterations[${i}]`, 'is not an object');
    return { row: it, index: i, iteration: numberAt(it, 'iteration', `iterations[${i}].iteration`, bad) };
  });
  const first = rows[0]!.row;
  const modelKeys = Object.keys(first).filter((k) => k.startsWith('model_'));
  if (modelKeys.length === 0) throw bad('iterations[0]', 'has no model_* entry');
  rows.sort((a, b) => a.iteration - b.iteration);

  // Switches in the order the seed ran them: each iteration's models in their key order.
  const switches: SwitchLevels[] = [];
  for (const { row, index } of rows) {
    for (const modelKey of modelKeys) {
      const path = `iterations[${index}].${modelKey}`;
      const model = row[modelKey];
      if (model === undefined) throw bad(path, 'is missing');
      if (!isRecord(model)) throw bad(path, 'is not an object');
      const before = numberAt(model, 'mem_before_load_mb', `${path}.mem_before_load_mb`, bad) * BYTES_PER_SEED_MB;
      const after = numberAt(model, 'mem_after_unload_mb', `${path}.mem_after_unload_mb`, bad) * BYTES_PER_SEED_MB;
      switches.push({ modelKey, beforeLoadBytes: before, afterUnloadBytes: after });
    }
  }
  return { modelKeys, switches };
}

function seedLabel(modelKey: string): string {
  const name = modelKey.slice('model_'.length);
  const decimal = /^(\d)(\d+)b$/i.exec(name);
  if (decimal) return `${decimal[1]}.${decimal[2]}B`;
  const whole = /^(\d+)b$/i.exec(name);
  return whole ? `${whole[1]}B` : name.replaceAll('_', '-');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberAt(record: Record<string, unknown>, field: string, path: string, bad: (path: string, problem: string) => Error): number {
  const value = record[field];
  if (value === undefined) throw bad(path, 'is missing');
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(path, `is not a finite number (${JSON.stringify(value)})`);
  return value;
}
