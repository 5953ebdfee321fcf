import { readFile, realpath } from 'node:fs/promises';
import type { Probe } from './Probe.js';

/** Counts /proc/PID/maps lines whose path is `filePath` (a deleted file shows as "PATH (deleted)"). */
export function countMappings(mapsText: string, filePath: string): number {
  let count = 0;
  for (const line of mapsText.split('\n')) {
    const path = line.split(/\s+/).slice(5).join(' ');
    if (path === filePath || path === `${filePath} (deleted)`) count += 1;
  }
  return count;
}

/** Mappings of the current model file: chatllm.cpp mmaps weights, and unload must unmap them. */
export const modelMappingsProbe: Probe = {
  name: 'model-mappings',
  async sample({ pid, modelPath }) {
    const resolved = await realpath(modelPath).catch(() => modelPath);
    return { modelMappings: countMappings(await readFile(`/proc/${pid}/maps`, 'utf8'), resolved) };
  },
};
