import type { UnloadCheck } from './UnloadCheck.js';

/** An unload must close every file descriptor the load opened. */
export const fdCheck: UnloadCheck = {
  kind: 'fd',
  check: (r) => {
    const before = r.phases.beforeLoad.openFds;
    const after = r.phases.afterUnload.openFds;
    if (after <= before) return null;
    const extra = after - before;
    return {
      kind: 'fd',
      iteration: r.iteration,
      modelKey: r.modelKey,
      before,
      after,
      message: `${extra} more open ${extra === 1 ? 'fd' : 'fds'} than before load (${before} -> ${after})`,
    };
  },
};
