import type { UnloadCheck } from './UnloadCheck.js';

/** The model file must be gone from /proc/PID/maps once the model is unloaded. */
export const mappingCheck: UnloadCheck = {
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
