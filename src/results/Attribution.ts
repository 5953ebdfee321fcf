import type { NativeFrame } from './NativeFrame.js';

/** One allocation site: every allocation whose stack, folded to the engine's own frames, is the same. */
export interface AllocationSite {
  /** The first frame inside the engine's own code (standard library, glibc and JS runtime frames folded). */
  firstFrame: NativeFrame;
  /** Engine frames from the first one up to the C API entry (chatllm_start, chatllm_user_input, ...). */
  stack: NativeFrame[];
  /** Mean growth of the bytes this site still holds after an unload, per switch (warm-up switch excluded). */
  bytesPerSwitch: number;
  /** Mean growth of the number of allocations it still holds after an unload, per switch. */
  callsPerSwitch: number;
  /** Bytes it still held after each unload of this model, in order (the series the slope comes from). */
  retainedBytesAfterUnload: number[];
}

/** What `leakgate attribute` found for one model. */
export interface ModelAttribution {
  modelKey: string;
  /** Short label for tables, e.g. "0.6B". */
  label: string;
  /** Switches measured (the first is warm-up: caches filled once are not a leak). */
  switches: number;
  /** Sites whose retained bytes grow with the switch count, largest first. */
  growingSites: AllocationSite[];
  /** Heap-in-use (mallinfo2) slope of the same switches run without heaptrack, bytes per switch. */
  heapSlopeBytesPerSwitch: number | null;
  /** Everything heaptrack saw growing, engine or not, bytes per switch. */
  tracedSlopeBytesPerSwitch: number;
  /** Sum of the growing sites' bytes per switch over the heap slope (null when the slope is below the heap floor). */
  coveredShare: number | null;
}

export interface Attribution {
  tool: string;
  /** Switches per model. */
  switches: number;
  models: ModelAttribution[];
  /** Wall time of the same switches without heaptrack, with it, and for reading its dump. */
  plainRunMs: number;
  tracedRunMs: number;
  interpretMs: number;
}
