import type { ModelIteration } from '../results/RunResults.js';

export type UnloadFindingKind = 'mapping' | 'fd' | 'thread';

/** Something an unload left behind in one model-iteration. */
export interface UnloadFinding {
  kind: UnloadFindingKind;
  iteration: number;
  modelKey: string;
  /** The count before the load (for mappings: always 0 by construction of the probe). */
  before: number;
  /** The count after the unload. */
  after: number;
  message: string;
}

/** One deterministic check of a model-iteration: returns a finding, or null when the unload was clean. */
export interface UnloadCheck {
  kind: UnloadFindingKind;
  check(record: ModelIteration): UnloadFinding | null;
}

/**
 * An unload check for a count the load must give back (fds, threads): a finding when the count after
 * unload is above the count before load. `noun` is singular and plural, e.g. ['open fd', 'open fds'].
 */
export function countGrewCheck(kind: UnloadFindingKind, field: 'openFds' | 'threads', noun: readonly [string, string]): UnloadCheck {
  return {
    kind,
    check: (r) => {
      const before = r.phases.beforeLoad[field];
      const after = r.phases.afterUnload[field];
      if (after <= before) return null;
      const extra = after - before;
      return {
        kind,
        iteration: r.iteration,
        modelKey: r.modelKey,
        before,
        after,
        message: `${extra} more ${extra === 1 ? noun[0] : noun[1]} than before load (${before} -> ${after})`,
      };
    },
  };
}

/** The model file must be gone from /proc/PID/maps once the model is unloaded. */
const mappingCheck: UnloadCheck = {
  kind: 'mapping',
  check: (r) => {
    const before = r.phases.beforeLoad.modelMappings;
    const after = r.phases.afterUnload.modelMappings;
    if (after <= 0) return null;
    const plural = after === 1 ? 'mapping' : 'mappings';
    return {
      kind: 'mapping',
      iteration: r.iteration,
      modelKey: r.modelKey,
      before,
      after,
      message: `model file still mapped after unload (${after} ${plural} in /proc/PID/maps)`,
    };
  },
};

/** An unload must close every file descriptor the load opened. */
const fdCheck = countGrewCheck('fd', 'openFds', ['open fd', 'open fds']);

/** An unload must join every thread the load or inference started. */
const threadCheck = countGrewCheck('thread', 'threads', ['thread', 'threads']);

/** Every unload check, run in this order on each model-iteration by checkUnload. */
export const unloadChecks: readonly UnloadCheck[] = [mappingCheck, fdCheck, threadCheck];

/**
 * Deterministic unload checks of one model-iteration, comparing the before-load and after-unload probe
 * samples (see unloadChecks): the model file still mapped, more open fds, more threads.
 * Returns the findings in registry order; an empty list means the unload left nothing behind.
 * For a whole run: `results.records.flatMap((r) => checkUnload(r))`.
 */
export function checkUnload(record: ModelIteration): UnloadFinding[] {
  return unloadChecks.flatMap((c) => {
    const finding = c.check(record);
    return finding ? [finding] : [];
  });
}
