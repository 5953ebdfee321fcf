import { usageError } from '../errors.js';
import { PHASES } from './ProbeSample.js';

/** Identifies leakgate's own results files (the seed's have no `leakgate` key). */
export const RESULTS_SCHEMA = 'leakgate-results/1';

const RUN_STATUSES = ['running', 'complete', 'failed'];
const UNLOAD_STEPS = ['destroy', 'restart'];
/** Probe fields that must be finite numbers in every phase; heapInUseBytes may also be null (off glibc). */
const NUMERIC_PROBES = [
  'rssBytes',
  'rssAnonBytes',
  'rssFileBytes',
  'rssShmemBytes',
  'vmHwmBytes',
  'threads',
  'openFds',
  'modelMappings',
  'v8HeapUsedBytes',
];
/**
 * Probes a sample may lack (the allocation ledger's without it, malloc's off glibc, and every figure a
 * file written before leakgate measured it lacks): absent or null, else finite numbers. A NaN or an
 * infinity there would compare as within any tolerance.
 */
const OPTIONAL_NUMERIC_PROBES = [
  'modelMappedBytes',
  'mallocArenaBytes',
  'mallocMmappedBytes',
  'mallocFreeBytes',
  'outsideMallocBytes',
  'engineHeapBytes',
  'engineHeapBlocks',
  'engineMmapBytes',
  'engineUncountedAllocations',
];

type Bad = (field: string, problem: string) => Error;

/**
 * Checks a leakgate results file (parsed JSON with a `leakgate` key) field by field before anything
 * reads it, as the seed's files are checked: a null or string probe would otherwise read as 0 or NaN,
 * and an empty run would pass the gate unjudged. Throws a usage error naming `source` and the first bad
 * field, e.g. `iterations[2].ref_small.phases.afterUnload.rssBytes is not a finite number (null)`.
 * A file of another schema (a newer leakgate) is refused by name.
 */
export function validateResultsJson(json: Record<string, unknown>, source: string): void {
  const bad: Bad = (field, problem) =>
    usageError(`${source}: ${field} ${problem} (not a valid leakgate results file; rerun leakgate run to write a new one)`);
  const meta = json['leakgate'];
  if (!isRecord(meta)) throw bad('leakgate', 'is not an object');
  const schema = meta['schema'];
  if (schema !== RESULTS_SCHEMA) {
    throw usageError(
      `${source}: leakgate.schema is ${JSON.stringify(schema ?? null)}, this leakgate reads ${RESULTS_SCHEMA} only ` +
        `(written by ${typeof meta['leakgateVersion'] === 'string' ? `leakgate ${meta['leakgateVersion']}` : 'another leakgate'}; ` +
        `analyse it with that version, or rerun leakgate run)`,
    );
  }
  const status = meta['status'];
  if (typeof status !== 'string' || !RUN_STATUSES.includes(status))
    throw bad('leakgate.status', `is ${JSON.stringify(status ?? null)}, expected ${RUN_STATUSES.join(', ')}`);
  const failure = meta['failure'];
  if (failure !== null) {
    if (!isRecord(failure)) throw bad('leakgate.failure', 'is neither null nor an object');
    stringAt(failure, 'kind', 'leakgate.failure.kind', bad);
    stringAt(failure, 'message', 'leakgate.failure.message', bad);
    numberAt(failure, 'iteration', 'leakgate.failure.iteration', bad);
  }
  const failedWithReason = status === 'failed' && failure !== null;
  if (status === 'failed' && failure === null) throw bad('leakgate.failure', 'is null, but leakgate.status is failed');
  const planned = numberAt(meta, 'iterationsPlanned', 'leakgate.iterationsPlanned', bad);
  if (!Number.isInteger(planned) || planned < 1) throw bad('leakgate.iterationsPlanned', `is ${planned}, expected a whole number >= 1`);
  stringAt(meta, 'scenario', 'leakgate.scenario', bad);
  if (!isRecord(meta['config'])) throw bad('leakgate.config', 'is not an object');
  const engine = meta['engine'];
  if (!isRecord(engine)) throw bad('leakgate.engine', 'is not an object');
  stringAt(engine, 'path', 'leakgate.engine.path', bad);
  if (typeof engine['reference'] !== 'boolean') throw bad('leakgate.engine.reference', 'is not true or false');

  const models = meta['models'];
  if (!Array.isArray(models)) throw bad('leakgate.models', 'is not an array');
  if (models.length === 0) throw bad('leakgate.models', 'is empty: the run names no model');
  const keys = models.map((model: unknown, i) => {
    if (!isRecord(model)) throw bad(`leakgate.models[${i}]`, 'is not an object');
    for (const field of ['key', 'label', 'path', 'sha256Prefix']) stringAt(model, field, `leakgate.models[${i}].${field}`, bad);
    return model['key'] as string;
  });
  // Two models under one key: one would be judged and the other never.
  keys.forEach((key, i) => {
    const first = keys.indexOf(key);
    if (first !== i)
      throw bad(`leakgate.models[${i}].key`, `is "${key}", the key of leakgate.models[${first}] too: each model needs its own`);
  });

  const iterations = json['iterations'];
  if (!Array.isArray(iterations)) throw bad('iterations', 'is not an array');
  // A run that failed before its first switch has nothing measured, and says why; any other must hold records.
  if (iterations.length === 0 && !failedWithReason) throw bad('iterations', `is empty: nothing was measured (leakgate.status ${status})`);
  let records = 0;
  const heapKinds = new Map<string, string>();
  iterations.forEach((row: unknown, i) => {
    if (!isRecord(row)) throw bad(`iterations[${i}]`, 'is not an object');
    const iteration = numberAt(row, 'iteration', `iterations[${i}].iteration`, bad);
    if (!Number.isInteger(iteration) || iteration < 1)
      throw bad(`iterations[${i}].iteration`, `is ${iteration}, expected a whole number >= 1`);
    for (const key of keys) {
      const path = `iterations[${i}].${key}`;
      const entry = row[key];
      if (entry === undefined) {
        if (status === 'complete') throw bad(path, 'is missing, but the run is complete');
        continue;
      }
      validateEntry(entry, path, bad, heapKinds, key);
      records += 1;
    }
  });
  if (records === 0 && !failedWithReason) throw bad('iterations', `hold no entry for any of the models (${keys.join(', ')})`);
}

function validateEntry(entry: unknown, path: string, bad: Bad, heapKinds: Map<string, string>, key: string): void {
  if (!isRecord(entry)) throw bad(path, 'is not an object');
  const phases = entry['phases'];
  if (!isRecord(phases)) throw bad(`${path}.phases`, 'is not an object');
  for (const phase of PHASES) {
    const sample = phases[phase];
    if (!isRecord(sample)) throw bad(`${path}.phases.${phase}`, `is ${sample === null ? 'null' : 'not an object'}`);
    for (const probe of NUMERIC_PROBES) numberAt(sample, probe, `${path}.phases.${phase}.${probe}`, bad);
    for (const probe of OPTIONAL_NUMERIC_PROBES)
      if (sample[probe] !== undefined && sample[probe] !== null) numberAt(sample, probe, `${path}.phases.${phase}.${probe}`, bad);
    const heap = sample['heapInUseBytes'];
    if (heap !== null) numberAt(sample, 'heapInUseBytes', `${path}.phases.${phase}.heapInUseBytes`, bad);
    // A model's heap series is all numbers (glibc) or all null: a mix would silently drop the deciding signal.
    const kind = heap === null ? 'null' : 'a number';
    const seen = heapKinds.get(key);
    if (seen === undefined) heapKinds.set(key, kind);
    else if (seen !== kind) throw bad(`${path}.phases.${phase}.heapInUseBytes`, `is ${kind}, but earlier samples of ${key} are ${seen}`);
  }
  for (const field of ['load_ms', 'infer_ms', 'unload_ms']) numberAt(entry, field, `${path}.${field}`, bad);
  for (const field of ['ttft_ms', 'gen_speed', 'wer']) if (entry[field] !== null) numberAt(entry, field, `${path}.${field}`, bad);
  for (const field of ['transcript_zh_tw', 'itn_result', 'raw_output']) stringAt(entry, field, `${path}.${field}`, bad);
  if (entry['language'] !== null) stringAt(entry, 'language', `${path}.language`, bad);
  if (!UNLOAD_STEPS.includes(entry['unload_step'] as string))
    throw bad(`${path}.unload_step`, `is ${JSON.stringify(entry['unload_step'] ?? null)}, expected destroy or restart`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberAt(record: Record<string, unknown>, field: string, path: string, bad: Bad): number {
  const value = record[field];
  if (value === undefined) throw bad(path, 'is missing');
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(path, `is not a finite number (${JSON.stringify(value)})`);
  return value;
}

function stringAt(record: Record<string, unknown>, field: string, path: string, bad: Bad): string {
  const value = record[field];
  if (value === undefined) throw bad(path, 'is missing');
  if (typeof value !== 'string') throw bad(path, `is not a string (${JSON.stringify(value)})`);
  return value;
}
