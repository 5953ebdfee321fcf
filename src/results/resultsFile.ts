import type { PhaseName, ProbeSample } from './ProbeSample.js';
import type { ModelIteration, RunResults } from './RunResults.js';
import { seedSummary } from './seedSummary.js';
import { RESULTS_SCHEMA } from './validateResultsJson.js';
import { MIB } from '../units.js';

export { RESULTS_SCHEMA };

const SEED_PHASE_FIELD: Record<PhaseName, string> = {
  beforeLoad: 'mem_before_load_mb',
  afterLoad: 'mem_after_load_mb',
  afterInfer: 'mem_after_infer_mb',
  afterUnload: 'mem_after_unload_mb',
};

/**
 * The results file: the seed's model_switch_results.json (config, summary, iterations with
 * model_06b-style entries, RSS in MB) plus leakgate's own fields — every probe at every phase
 * (`phases`, bytes) and the run's provenance under `leakgate`.
 */
export function toResultsJson(results: RunResults): Record<string, unknown> {
  const iterations = groupByIteration(results.records).map((records) => {
    const start = records[0]!.phases.beforeLoad.rssBytes / MIB;
    const end = records.at(-1)!.phases.afterUnload.rssBytes / MIB;
    const row: Record<string, unknown> = { iteration: records[0]!.iteration, mem_baseline_mb: start };
    for (const record of records) row[record.modelKey] = seedModelEntry(record);
    row.mem_end_mb = end;
    row.total_leak_mb = end - start;
    return row;
  });
  return {
    config: {
      iterations: results.iterationsPlanned,
      ...Object.fromEntries(results.models.map((model) => [model.key, model.path])),
      audio: results.config.audioPath,
      inference_threads: results.config.threads,
    },
    summary: seedSummary(results),
    iterations,
    leakgate: {
      schema: RESULTS_SCHEMA,
      leakgateVersion: results.leakgateVersion,
      scenario: results.scenario,
      status: results.status,
      failure: results.failure,
      startedAt: results.startedAt,
      finishedAt: results.finishedAt,
      iterationsPlanned: results.iterationsPlanned,
      iterationsCompleted: completedIterations(results),
      ...(results.stopping ? { stopping: results.stopping } : {}),
      config: results.config,
      engine: results.engine,
      ffmpeg: results.ffmpeg ?? null,
      models: results.models,
      ...(results.attribution ? { attribution: results.attribution } : {}),
      ...(results.trimProbe ? { trimProbe: results.trimProbe } : {}),
    },
  };
}

/** Iterations in which every model finished its cycle. */
export function completedIterations(results: Pick<RunResults, 'records' | 'models'>): number {
  return groupByIteration(results.records).filter((records) => records.length === results.models.length).length;
}

/** Reads a file written by toResultsJson back; null when it is not leakgate's (e.g. the seed's). */
export function fromResultsJson(json: Record<string, unknown>): RunResults | null {
  const meta = json.leakgate as (Omit<RunResults, 'records'> & { schema?: string }) | undefined;
  if (!meta || meta.schema !== RESULTS_SCHEMA) return null;
  const records: ModelIteration[] = [];
  for (const row of json.iterations as Record<string, unknown>[]) {
    for (const model of meta.models) {
      const entry = row[model.key] as SeedModelEntry | undefined;
      if (entry) records.push(fromSeedModelEntry(entry, row.iteration as number, model.key));
    }
  }
  const { schema: _schema, ...rest } = meta as typeof meta & { iterationsCompleted?: number };
  delete (rest as { iterationsCompleted?: number }).iterationsCompleted;
  return { ...rest, records };
}

interface SeedModelEntry {
  transcript_zh_tw: string;
  itn_result: string;
  ttft_ms: number | null;
  gen_speed: number | null;
  wer: number | null;
  phases: Record<PhaseName, ProbeSample>;
  unload_step: 'destroy' | 'restart';
  load_ms: number;
  infer_ms: number;
  unload_ms: number;
  raw_output: string;
  language: string | null;
  [seedField: string]: unknown;
}

function seedModelEntry(record: ModelIteration): SeedModelEntry {
  const mb = (phase: PhaseName): number => record.phases[phase].rssBytes / MIB;
  return {
    transcript_zh_tw: record.transcriptZhTw,
    itn_result: record.transcript,
    ttft_ms: record.ttftMs,
    gen_speed: record.charsPerSecond,
    wer: record.werPercent,
    ...Object.fromEntries(Object.entries(SEED_PHASE_FIELD).map(([phase, field]) => [field, mb(phase as PhaseName)])),
    load_overhead_mb: mb('afterLoad') - mb('beforeLoad'),
    unload_release_mb: mb('afterLoad') - mb('afterUnload'),
    net_leak_mb: mb('afterUnload') - mb('beforeLoad'),
    phases: record.phases,
    unload_step: record.unloadStep,
    load_ms: record.loadMs,
    infer_ms: record.inferMs,
    unload_ms: record.unloadMs,
    raw_output: record.rawOutput,
    language: record.language,
  };
}

function fromSeedModelEntry(entry: SeedModelEntry, iteration: number, modelKey: string): ModelIteration {
  return {
    iteration,
    modelKey,
    phases: entry.phases,
    unloadStep: entry.unload_step,
    loadMs: entry.load_ms,
    inferMs: entry.infer_ms,
    unloadMs: entry.unload_ms,
    ttftMs: entry.ttft_ms,
    charsPerSecond: entry.gen_speed,
    rawOutput: entry.raw_output,
    language: entry.language,
    transcriptZhTw: entry.transcript_zh_tw,
    transcript: entry.itn_result,
    werPercent: entry.wer,
  };
}

function groupByIteration(records: readonly ModelIteration[]): ModelIteration[][] {
  const groups = new Map<number, ModelIteration[]>();
  for (const record of records) groups.set(record.iteration, [...(groups.get(record.iteration) ?? []), record]);
  return [...groups.values()];
}
