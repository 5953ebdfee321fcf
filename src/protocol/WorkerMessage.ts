/**
 * The protocol between the host (parent: CLI or test runner) and the worker (child process that loads
 * the engine). Every request carries an id; the worker answers each with exactly one reply of that id.
 */

import type { EngineHeapFigures, EngineSiteChange } from './EngineSiteChange.js';

/** The worker's exit code for a bug in its own JS (EX_SOFTWARE): the host reports a leakgate bug, not an engine crash. */
export const WORKER_BUG_EXIT_CODE = 70;

/**
 * Set (to "1") in the worker's environment by `leakgate attribute`: after each unload (or restart) the worker
 * mallocs and frees HEAP_MARK_BYTES, so heaptrack's event stream shows where each unload ended.
 */
export const HEAP_MARKS_ENV = 'LEAKGATE_HEAP_MARKS';
/** An odd size no engine allocates (about 3 MiB, not a multiple of 8): found by size in the dump. */
export const HEAP_MARK_BYTES = 3_141_593;

/** A whole line the engine printed through f_print with a non-chunk type (1 meta, 2 error, 13 model info...). */
export interface PrintedLine {
  printType: number;
  text: string;
}

/** A type-0 chunk with the time it arrived, taken inside the print callback (ms since the call began). */
export interface TimedChunk {
  text: string;
  atMs: number;
}

export type WorkerRequest =
  /** `mmapThresholdBytes`: glibc's M_MMAP_THRESHOLD to pin before the engine loads; null leaves it dynamic. */
  | { id: number; type: 'init'; libraryPath: string; mmapThresholdBytes: number | null }
  /** `sites`: also list the engine's allocation sites that changed since the last sample with `sites` (after unload). */
  | { id: number; type: 'sample'; sites?: boolean }
  | { id: number; type: 'load'; params: string[]; genMaxTokens: number }
  | { id: number; type: 'infer'; input: string }
  | { id: number; type: 'restart' }
  | { id: number; type: 'unload'; trim: boolean }
  /** malloc_trim(0) now: the host samples around it to see what the allocator gives back. */
  | { id: number; type: 'trim' }
  | { id: number; type: 'exit' };

export type WorkerReply =
  | {
      id: number;
      type: 'ready';
      pid: number;
      referenceEngineVersion: string | null;
      heapProbe: boolean;
      /** The allocation ledger preloaded and armed on the engine's code; null without it. */
      ledger?: { engineSegments: number; mmapThresholdBytes: number } | null;
    }
  | {
      id: number;
      type: 'sample';
      heapInUseBytes: number | null;
      v8HeapUsedBytes: number;
      /** mallinfo2 hblkhd (malloc's mmapped chunks); null off glibc. */
      mallocMmappedBytes?: number | null;
      /** mallinfo2 arena (what malloc's arenas took from the system); null off glibc. */
      mallocSystemBytes?: number | null;
      /** mallinfo2 fordblks (free chunks in the arenas); null off glibc. */
      mallocFreeBytes?: number | null;
      /** What the engine's own code holds (the allocation ledger); null without the ledger. */
      engine?: EngineHeapFigures | null;
      engineSites?: EngineSiteChange[];
    }
  | { id: number; type: 'trimmed'; trimMs: number }
  | { id: number; type: 'loaded'; loadMs: number; lines: PrintedLine[] }
  | {
      id: number;
      type: 'inferred';
      inferMs: number;
      returnCode: number;
      chunks: TimedChunk[];
      lines: PrintedLine[];
      endCalls: number;
    }
  | { id: number; type: 'restarted'; restartMs: number }
  | { id: number; type: 'unloaded'; unloadMs: number; returnCode: number }
  /** The engine refused (start returned non-zero, user_input failed, ...): the worker is still alive. */
  | { id: number; type: 'engineError'; call: string; returnCode: number; lines: PrintedLine[]; message: string }
  /** The library could not be loaded or lacks a symbol. */
  | { id: number; type: 'libraryError'; message: string }
  | { id: number; type: 'bye' };

export type WorkerReplyOf<T extends WorkerReply['type']> = Extract<WorkerReply, { type: T }>;

/** Set to "0" in the environment (the run's, or the worker's) to run the worker without the allocation ledger. */
export const LEDGER_ENV = 'LEAKGATE_LEDGER';
