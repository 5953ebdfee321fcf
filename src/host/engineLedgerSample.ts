import type { EngineHeapFigures, EngineSiteChange } from '../protocol/EngineSiteChange.js';
import type { ProbeSample } from '../results/ProbeSample.js';

/**
 * The allocation ledger's part of a probe sample (nothing without the ledger). Once its tables filled, the
 * ledger no longer sees every engine allocation: its heap could stay level while the engine leaks, a clean
 * verdict without evidence. The engine-heap figures are then null, so the engine-heap signal is dropped and
 * heap in use decides, and the sample keeps how many allocations went uncounted.
 */
export function engineLedgerSample(
  engine: EngineHeapFigures | null | undefined,
  engineSites: EngineSiteChange[] | undefined,
): Partial<ProbeSample> {
  if (!engine) return {};
  const sites = engineSites ? { engineSiteChanges: engineSites } : {};
  if (engine.tableFailures > 0) {
    return {
      engineHeapBytes: null,
      engineHeapBlocks: null,
      engineMmapBytes: null,
      engineUncountedAllocations: engine.tableFailures,
      ...sites,
    };
  }
  return { engineHeapBytes: engine.heapBytes, engineHeapBlocks: engine.heapBlocks, engineMmapBytes: engine.mmapBytes, ...sites };
}
