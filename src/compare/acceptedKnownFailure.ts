import type { AcceptedFailure } from '../gate/Baseline.js';
import { baselinePath } from '../gate/baselinePath.js';
import { readBaseline } from '../gate/readBaseline.js';
import type { RunResults } from '../results/RunResults.js';

/**
 * The known failure the checked-in baseline for this run's setup accepts (engine, platform, scenario,
 * models) in `baselinesDir` (resolveBaselinesDir), or null: none accepted, no baseline, or one that cannot be read
 * (the comparison then accepts no shared failure, which fails safe). compare measures before it reads this, so a bad baseline never
 * costs a measured run.
 */
export async function acceptedKnownFailure(results: RunResults, baselinesDir: string): Promise<AcceptedFailure | null> {
  try {
    return (await readBaseline(baselinePath(baselinesDir, results)))?.accepted?.failure ?? null;
  } catch {
    return null;
  }
}
