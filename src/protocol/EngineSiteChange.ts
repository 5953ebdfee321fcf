/**
 * One allocation site of the engine whose live memory changed between two after-unload samples, as the
 * allocation ledger counts it (native/ledger): the return address into engine code, exactly.
 */
export interface EngineSiteChange {
  /** "MODULE+0xOFFSET": the engine module and the return address's offset in it. */
  site: string;
  /** Live heap bytes and blocks (plus anonymous mmaps) allocated there, now. */
  liveBytes: number;
  liveBlocks: number;
  /** Since the previous after-unload sample of this worker (the first: since the ledger was armed). */
  changeBytes: number;
  changeBlocks: number;
  /** The engine function that allocates there, and its source line, when debug info says (set by the host). */
  function?: string | null;
  location?: string | null;
}

/** The engine's own memory as the allocation ledger counts it in the worker, exact to the byte. */
export interface EngineHeapFigures {
  heapBytes: number;
  heapBlocks: number;
  mmapBytes: number;
  mmapRegions: number;
  /**
   * Allocations the ledger could not record since it was armed (its tables filled): above 0, the figures
   * above are a lower bound, and a leak can hide in what went uncounted.
   */
  tableFailures: number;
}
