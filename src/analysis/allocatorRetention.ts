import type { ProbeSample } from '../results/ProbeSample.js';
import type { ModelIteration, RunResults, TrimProbe } from '../results/RunResults.js';

/** Anonymous memory after one model's last unload, split by owner (see ProbeSample). */
export interface RetentionAfterUnload {
  modelKey: string;
  label: string;
  iteration: number;
  rssAnonBytes: number;
  heapInUseBytes: number;
  /** RssAnon minus heap in use: what the process keeps resident beyond what malloc has handed out. */
  retainedBytes: number;
  /**
   * Resident in malloc's arenas but free (arena RSS minus the arenas' part of heap in use): what the
   * allocator keeps after unload, and what malloc_trim(0) can give back. Null without smaps figures.
   */
  allocatorFreeBytes: number | null;
  /** Anonymous memory outside malloc (an engine's own mmap, thread stacks, the JS heap); null when not measured. */
  outsideMallocBytes: number | null;
}

/** What the allocator retains after unload, per model, and what a trim gave back at the end of the run. */
export interface AllocatorRetention {
  afterUnload: RetentionAfterUnload[];
  /** From the run's closing malloc_trim(0); null when none was made (an older file, a run that failed, off glibc). */
  trim: { givenBackBytes: number; rssAnonBeforeBytes: number; rssAnonAfterBytes: number; heapInUseAfterBytes: number | null } | null;
}

/** A byte figure read from a results file, or null when absent or not a finite number. */
const bytesOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * Resident in malloc's arenas but free at one sample (arena RSS minus the arenas' part of heap in use):
 * what the allocator keeps for reuse, and what malloc_trim(0) can give back. Null without smaps figures.
 */
export function allocatorFreeBytes(s: ProbeSample): number | null {
  const mmapped = bytesOrNull(s.mallocMmappedBytes);
  const arena = bytesOrNull(s.mallocArenaBytes);
  if (s.heapInUseBytes === null || mmapped === null || arena === null) return null;
  return Math.max(0, arena - (s.heapInUseBytes - mmapped));
}

function afterUnload(record: ModelIteration, label: string): RetentionAfterUnload | null {
  const s = record.phases.afterUnload;
  if (s.heapInUseBytes === null) return null;
  return {
    modelKey: record.modelKey,
    label,
    iteration: record.iteration,
    rssAnonBytes: s.rssAnonBytes,
    heapInUseBytes: s.heapInUseBytes,
    retainedBytes: s.rssAnonBytes - s.heapInUseBytes,
    allocatorFreeBytes: allocatorFreeBytes(s),
    outsideMallocBytes: bytesOrNull(s.outsideMallocBytes),
  };
}

function trimFigures(probe: TrimProbe | null | undefined): AllocatorRetention['trim'] {
  if (!probe || bytesOrNull(probe.before?.rssAnonBytes) === null || bytesOrNull(probe.after?.rssAnonBytes) === null) return null;
  return {
    givenBackBytes: probe.before.rssAnonBytes - probe.after.rssAnonBytes,
    rssAnonBeforeBytes: probe.before.rssAnonBytes,
    rssAnonAfterBytes: probe.after.rssAnonBytes,
    heapInUseAfterBytes: bytesOrNull(probe.after.heapInUseBytes),
  };
}

/**
 * What the allocator keeps after each model's last unload of the run (RssAnon minus heap in use, and
 * the free part of malloc's arenas), whether or not it climbs: what a server that switches models must
 * size for. Models without a heap figure (off glibc) are left out.
 */
export function allocatorRetention(results: Pick<RunResults, 'records' | 'models' | 'trimProbe'>): AllocatorRetention {
  const lastOf = new Map<string, ModelIteration>();
  for (const r of [...results.records].sort((a, b) => a.iteration - b.iteration)) lastOf.set(r.modelKey, r);
  const labels = new Map(results.models.map((m) => [m.key, m.label]));
  const rows = [...lastOf.values()]
    .map((r) => afterUnload(r, labels.get(r.modelKey) ?? r.modelKey))
    .filter((row): row is RetentionAfterUnload => row !== null);
  return { afterUnload: rows, trim: trimFigures(results.trimProbe) };
}
