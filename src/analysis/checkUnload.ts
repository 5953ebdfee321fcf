import type { ModelIteration } from '../results/RunResults.js';
import { unloadChecks } from './checks/unloadChecks.js';
import type { UnloadFinding } from './checks/UnloadCheck.js';

/**
 * Deterministic unload checks of one model-iteration, comparing the before-load and after-unload probe
 * samples (see checks/unloadChecks.ts): the model file still mapped, more open fds, more threads.
 * Returns the findings in registry order; an empty list means the unload left nothing behind.
 * For a whole run: `results.records.flatMap((r) => checkUnload(r))`.
 */
export function checkUnload(record: ModelIteration): UnloadFinding[] {
  return unloadChecks.flatMap((c) => {
    const finding = c.check(record);
    return finding ? [finding] : [];
  });
}
