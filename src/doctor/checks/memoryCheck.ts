import { stat } from 'node:fs/promises';
import { assessMemoryHeadroom } from '../assessMemoryHeadroom.js';
import { type DoctorCheck, DoctorResult } from '../DoctorCheck.js';
import { readMemAvailableBytes } from '../readMemAvailableBytes.js';
import { formatSizeBytes } from '../../units.js';
import { readMemoryLimit } from '../../system/memoryCgroup.js';

/** Enough available memory for the largest model (see MODEL_MEMORY_FACTOR for the factor). */
export const memoryCheck: DoctorCheck = {
  name: 'memory',
  async run(config) {
    const sizesBytes = await Promise.all(
      config.models.map(({ path }) =>
        stat(path).then(
          (s) => s.size,
          () => 0,
        ),
      ),
    );
    const largestModelBytes = Math.max(0, ...sizesBytes);
    // Missing models have their own FAIL line; nothing to size here.
    if (largestModelBytes === 0) return [];
    const memAvailableBytes = await readMemAvailableBytes();
    // Inside a memory cgroup (a container, a CI job) the host's MemAvailable overstates what the run may use.
    const cgroup = readMemoryLimit();
    const cgroupFreeBytes = cgroup ? Math.max(0, cgroup.limitBytes - cgroup.usageBytes) : null;
    if (cgroupFreeBytes !== null && (memAvailableBytes === null || cgroupFreeBytes < memAvailableBytes)) {
      return [
        assessMemoryHeadroom(cgroupFreeBytes, largestModelBytes, `memory cgroup limit ${formatSizeBytes(cgroup!.limitBytes)}, free in it`),
      ];
    }
    if (memAvailableBytes === null) {
      return [DoctorResult.warn('memory', 'MemAvailable unknown (no /proc/meminfo)', 'check free memory by hand: ~2.5x the largest model')];
    }
    return [assessMemoryHeadroom(memAvailableBytes, largestModelBytes)];
  },
};
