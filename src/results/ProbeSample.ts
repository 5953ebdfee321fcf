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
   * Live bytes and blocks the engine's own code allocated on the heap (malloc, new, ...: bytes as
   * requested), exactly, as the allocation ledger counts them; null or absent without the ledger.
   */
  engineHeapBytes?: number | null;
  engineHeapBlocks?: number | null;
  /** Live bytes of anonymous mappings the engine's code made with mmap (the ledger); null or absent without it. */
  engineMmapBytes?: number | null;
  /** After unload: the engine's allocation sites whose live memory changed since the previous unload. */
  engineSiteChanges?: EngineSiteChange[];
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
export const ENGINE_STEPS = ['load', 'infer', 'unload'] as const;
export type EngineStep = (typeof ENGINE_STEPS)[number];
