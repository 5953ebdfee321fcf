import { ExitCode } from '../errors.js';
import { formatSizeBytes } from '../units.js';
import { DoctorResult } from './DoctorCheck.js';

/**
 * Memory a loaded model needs, as a multiple of its file size. chatllm.cpp mmaps the file (1x, page
 * cache counted in RssFile while mapped) and copies the weights into ggml backend buffers (1x,
 * RssAnon); the KV cache at -c 4096, compute buffers and the audio encoder's activations take
 * roughly another half. The switch scenario unloads before it loads, so only the largest model counts.
 */
export const MODEL_MEMORY_FACTOR = 2.5;

const CHECK = 'memory';
const FIX = `free memory or use a larger machine (a run needs ~${MODEL_MEMORY_FACTOR}x the largest model file)`;

/**
 * `source` names where the figure comes from (MemAvailable, or the memory cgroup's limit less its use).
 * ok when MemAvailable covers MODEL_MEMORY_FACTOR x the largest model; warn when it covers the file
 * once (page cache can be reclaimed, so the run may still fit); FAIL (exit 4) below that.
 */
export function assessMemoryHeadroom(memAvailableBytes: number, largestModelBytes: number, source = 'MemAvailable'): DoctorResult {
  const neededBytes = Math.ceil(largestModelBytes * MODEL_MEMORY_FACTOR);
  const detail =
    `${source} ${formatSizeBytes(memAvailableBytes)}, the largest model needs ~${formatSizeBytes(neededBytes)} ` +
    `(${MODEL_MEMORY_FACTOR} x ${formatSizeBytes(largestModelBytes)})`;
  if (memAvailableBytes >= neededBytes) return DoctorResult.ok(CHECK, detail);
  if (memAvailableBytes >= largestModelBytes) return DoctorResult.warn(CHECK, `${detail}: the run may swap or be OOM-killed`, FIX);
  return DoctorResult.fail(CHECK, `${detail}: not even the file fits`, FIX, ExitCode.environment);
}
