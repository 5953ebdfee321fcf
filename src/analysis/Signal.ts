import { engineMemoryBytes, type ProbeSample } from '../results/ProbeSample.js';

/**
 * The memory signals the verdict reads, in order of authority: the engine's own memory, counted exactly
 * by the allocation ledger (heap blocks plus anonymous mmaps of the engine's code), decides when present;
 * heap in use (the whole worker's malloc) next, then RssAnon, RSS last (RSS is what a server feels, but
 * it mixes allocator retention and file pages). Heap in use and RSS stay as the process view.
 * outsideMalloc (anonymous memory neither in malloc's arenas nor its mmapped chunks: an engine's own
 * mmap, thread stacks) sees what heap in use cannot, so a leak on it decides too (decidingEvidence).
 */
export const SIGNALS = ['engineHeap', 'heapInUse', 'outsideMalloc', 'rssAnon', 'rss'] as const;
export type Signal = (typeof SIGNALS)[number];

/** One model's memory over a run, one value per switch (load, use, unload), in bytes. */
export interface ModelSeries {
  modelKey: string;
  label: string;
  /** Sampled after each unload; index i is switch i + 1. A signal is absent when not measured. */
  afterUnloadBytes: Partial<Record<Signal, number[]>>;
  /** Sampled before each load; index i is switch i + 1 (index 0 is the baseline before the first load). */
  beforeLoadBytes: Partial<Record<Signal, number[]>>;
}

/**
 * The whole process over a run, all models together: the level before the first load, then the level
 * after each iteration's last unload. Models share the process; when their series cannot be told apart
 * (RSS only), the process's own growth still can be judged.
 */
export type ProcessLevels = Partial<Record<Signal, number[]>>;

/** How reports name each signal. */
export const SIGNAL_NAMES: Readonly<Record<Signal, string>> = {
  engineHeap: 'engine heap',
  heapInUse: 'heap in use',
  outsideMalloc: 'outside malloc',
  rssAnon: 'RssAnon',
  rss: 'RSS',
};

/** How each signal is read from a probe sample. */
export type SignalReaders = Readonly<Record<Signal, (sample: ProbeSample) => number | null>>;

/** Where each signal lives in a probe sample. heapInUse is null off glibc, engineHeap without the ledger. */
export const SIGNAL_READERS: SignalReaders = {
  engineHeap: (s) => engineMemoryBytes(s),
  heapInUse: (s) => s.heapInUseBytes,
  outsideMalloc: (s) => s.outsideMallocBytes ?? null,
  rssAnon: (s) => s.rssAnonBytes,
  rss: (s) => s.rssBytes,
};
