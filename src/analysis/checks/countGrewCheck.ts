import type { UnloadCheck, UnloadFindingKind } from './UnloadCheck.js';

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
