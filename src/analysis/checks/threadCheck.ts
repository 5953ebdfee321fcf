import type { UnloadCheck } from './UnloadCheck.js';

/** An unload must join every thread the load or inference started. */
export const threadCheck: UnloadCheck = {
  kind: 'thread',
  check: (r) => {
    const before = r.phases.beforeLoad.threads;
    const after = r.phases.afterUnload.threads;
    if (after <= before) return null;
    const extra = after - before;
    return {
      kind: 'thread',
      iteration: r.iteration,
      modelKey: r.modelKey,
      before,
      after,
      message: `${extra} more ${extra === 1 ? 'thread' : 'threads'} than before load (${before} -> ${after})`,
    };
  },
};
