import type { EngineSiteChange } from '../protocol/EngineSiteChange.js';

/**
 * One sample of every memory and resource probe, taken at one phase of one iteration.
 * Figures are named after what the OS or allocator reports, in bytes unless the name says otherwise.
 */
export interface ProbeSample {
  /** Resident set size of the worker as pidusage reports it (VmRSS). */
  rssBytes: number;
  /** RssAnon from /proc/PID/status: anonymous resident pages (heap, mmap'd anonymous memory). */
  rssAnonBytes: number;
  /** RssFile from /proc/PID/status: file-backed resident pages, including mmapped model files. */
  rssFileBytes: number;
  /** RssShmem from /proc/PID/status. */
  rssShmemBytes: number;
  /** VmHWM from /proc/PID/status: peak RSS so far. */
  vmHwmBytes: number;
  /** Threads from /proc/PID/status. */
  threads: number;
  /** Entries in /proc/PID/fd. */
  openFds: number;
  /** Lines of /proc/PID/maps that map the current model file (0 before load and after unload). */
  modelMappings: number;
  /** Address space those mappings span (0 when none; absent in files written before leakgate recorded it). */
  modelMappedBytes?: number;
  /** glibc mallinfo2(): uordblks + hblkhd (bytes handed out by malloc, arena + mmapped chunks); null off glibc. */
  heapInUseBytes: number | null;
  /** V8 heap used by the worker's own JS (the harness's own footprint). */
  v8HeapUsedBytes: number;
  /**
   * Resident anonymous bytes (smaps `Anonymous:`) of malloc's arenas: `[heap]` and the non-main arenas'
   * 64 MiB-aligned heaps. Minus heap in use (less mmapped chunks), what the allocator keeps resident
   * while free: what malloc_trim(0) can give back. Absent in files written before leakgate measured it.
   */
  mallocArenaBytes?: number;
  /** glibc mallinfo2() hblkhd: malloc's chunks mmapped one by one (part of heapInUseBytes). Null off glibc. */
  mallocMmappedBytes?: number | null;
  /**
   * glibc mallinfo2() fordblks: the bytes of free chunks in malloc's arenas, what the allocator keeps
   * for reuse (resident unless trimmed). Null off glibc; absent in files written before leakgate measured it.
   */
  mallocFreeBytes?: number | null;
  /**
   * Resident anonymous bytes outside malloc: every other mapping's `Anonymous:` less mallinfo2's
   * hblkhd (malloc's own mmapped chunks) — an engine's own mmap, thread stacks, the JS runtime's heap.
   * Null off glibc; absent in files written before leakgate measured it.
   */
  outsideMallocBytes?: number | null;
  /** After unload only: the mappings counted in outsideMallocBytes, to name those that grew. */
  outsideMallocMappings?: AnonMapping[];
  /**
   * Live bytes and blocks the engine's own code allocated on the heap (malloc, new, ...: bytes as
   * requested), exactly, as the allocation ledger counts them; null or absent without the ledger.
   */
  engineHeapBytes?: number | null;
  engineHeapBlocks?: number | null;
  /** Live bytes of anonymous mappings the engine's code made with mmap (the ledger); null or absent without it. */
  engineMmapBytes?: number | null;
  /**
   * Allocations of the engine the ledger could not record since it was armed (its tables filled); absent
   * while it recorded every one. When present the engine-heap figures above are null: the ledger lost count.
   */
  engineUncountedAllocations?: number;
  /** After unload: the engine's allocation sites whose live memory changed since the previous unload. */
  engineSiteChanges?: EngineSiteChange[];
}

/** An anonymous mapping outside malloc, as recorded in a results file. */
export interface AnonMapping {
  /** Address range in hex, `0x7f12...-0x7f13...`. */
  range: string;
  sizeBytes: number;
  /** Resident anonymous bytes (smaps `Anonymous:`). */
  anonymousBytes: number;
  /** `[stack]`, `[anon:NAME]`, a file (private copies of its pages), or '' for an unnamed mapping. */
  name: string;
}

/**
 * The engine's own memory, exactly: heap bytes plus anonymous-mmap bytes its code holds (the
 * allocation ledger); null without the ledger. The engine-heap signal reads this.
 */
export function engineMemoryBytes(sample: ProbeSample): number | null {
  if (typeof sample.engineHeapBytes !== 'number') return null;
  return sample.engineHeapBytes + (sample.engineMmapBytes ?? 0);
}

/** The four phases at which probes are sampled, in the order they happen. */
export const PHASES = ['beforeLoad', 'afterLoad', 'afterInfer', 'afterUnload'] as const;
export type PhaseName = (typeof PHASES)[number];

/** Where a phase failure can happen (the engine call in progress). */
const ENGINE_STEPS = ['load', 'infer', 'unload'] as const;
export type EngineStep = (typeof ENGINE_STEPS)[number];
