import { findHeaptrack, HEAPTRACK_INSTALL_HINT } from '../../host/attribution/findHeaptrack.js';
import { type DoctorCheck, DoctorResult } from '../DoctorCheck.js';

/**
 * Optional: only `leakgate attribute` and `run --attribute` need heaptrack. Its absence is reported
 * as an ok line (never a warning before every run), saying what it would enable and how to get it.
 */
export const heaptrackCheck: DoctorCheck = {
  name: 'heaptrack',
  async run(_config, env) {
    const heaptrack = await findHeaptrack(env);
    return [
      DoctorResult.ok(
        'heaptrack',
        heaptrack
          ? `heaptrack: ${heaptrack.preloadLibrary} (for leakgate attribute)`
          : `heaptrack: not installed (optional: leakgate attribute names leaking allocation sites with it; ${HEAPTRACK_INSTALL_HINT})`,
      ),
    ];
  },
};
