import { PHASES } from '../results/ProbeSample.js';
import type { ModelIteration } from '../results/RunResults.js';

/**
 * How many engine allocations the allocation ledger could not record over a run (its tables filled): the
 * most any sample says, the ledger's count only rising. 0 while it recorded every one, or without the ledger.
 * Samples past that point carry no engine-heap figures (see host/engineLedgerSample): heap in use decides.
 */
export function uncountedEngineAllocations(records: readonly ModelIteration[]): number {
  let most = 0;
  for (const record of records) {
    for (const phase of PHASES) most = Math.max(most, record.phases[phase].engineUncountedAllocations ?? 0);
  }
  return most;
}
