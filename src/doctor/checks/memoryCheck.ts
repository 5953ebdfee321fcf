import { stat } from 'node:fs/promises';
import { assessMemoryHeadroom } from '../assessMemoryHeadroom.js';
import type { DoctorCheck } from '../DoctorCheck.js';
import { DoctorResult } from '../DoctorResult.js';
import { readMemAvailableBytes } from '../readMemAvailableBytes.js';

/** Enough available memory for the largest model (see MODEL_MEMORY_FACTOR for the factor). */
export const memoryCheck: DoctorCheck = {
  name: 'memory',
  async run(config) {
    const sizesBytes = await Promise.all(config.models.map(({ path }) => stat(path).then((s) => s.size, () => 0)));
    const largestModelBytes = Math.max(0, ...sizesBytes);
    // Missing models have their own FAIL line; nothing to size here.
    if (largestModelBytes === 0) return [];
    const memAvailableBytes = await readMemAvailableBytes();
    if (memAvailableBytes === null) {
      return [DoctorResult.warn('memory', 'MemAvailable unknown (no /proc/meminfo)', 'check free memory by hand: ~2.5x the largest model')];
    }
    return [assessMemoryHeadroom(memAvailableBytes, largestModelBytes)];
  },
};
