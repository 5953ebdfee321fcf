/**
 * The memory signals the verdict reads, in order of authority: heap-in-use decides when present,
 * RssAnon next, RSS last (RSS is what a server feels, but it mixes allocator retention and file pages).
 */
export const SIGNALS = ['heapInUse', 'rssAnon', 'rss'] as const;
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
