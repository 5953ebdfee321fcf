import { readFile, realpath } from 'node:fs/promises';
import type { Probe } from './Probe.js';

/**
 * Counts /proc/PID/maps lines whose path is `filePath` (a deleted file shows as "PATH (deleted)") and
 * the bytes of address space they span.
 */
export function countMappings(mapsText: string, filePath: string): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const line of mapsText.split('\n')) {
    const fields = line.split(/\s+/);
    const path = fields.slice(5).join(' ');
    if (path !== filePath && path !== `${filePath} (deleted)`) continue;
    count += 1;
    const [start, end] = (fields[0] ?? '').split('-').map((hex) => Number.parseInt(hex, 16));
    if (Number.isFinite(start) && Number.isFinite(end)) bytes += end! - start!;
  }
  return { count, bytes };
}

/** Mappings of the current model file: chatllm.cpp mmaps weights, and unload must unmap them. */
export const modelMappingsProbe: Probe = {
  name: 'model-mappings',
  async sample({ pid, modelPath }) {
    const resolved = await realpath(modelPath).catch(() => modelPath);
    const { count, bytes } = countMappings(await readFile(`/proc/${pid}/maps`, 'utf8'), resolved);
    return { modelMappings: count, modelMappedBytes: bytes };
  },
};
