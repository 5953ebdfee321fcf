import { stat, statfs } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import { environmentError, usageError } from '../errors.js';
import { planTwinLayout, type TwinOptions } from './planTwinLayout.js';
import { twinTensorFiller } from './twinTensorFiller.js';
import { writeGgmm } from './writeGgmm.js';

/** What `writeTwin` produced. */
export interface TwinSummary {
  path: string;
  shape: string;
  type: string;
  seed: number;
  fileBytes: number;
  tensorCount: number;
  elapsedMs: number;
}

/**
 * Writes a random-weight Qwen3-ASR model ("twin") in chatllm.cpp's GGMM format: the real architecture,
 * tensor names, shapes, types and vocabulary size, with deterministic random weights for `seed`.
 * Memory stays a few MB above the vocabulary whatever the shape; the same options give the same bytes.
 */
export async function writeTwin(outPath: string, options: TwinOptions): Promise<TwinSummary> {
  if (endianness() !== 'LE') {
    throw environmentError('leakgate twin needs a little-endian CPU (GGMM files are little-endian)');
  }
  const started = performance.now();
  const plan = planTwinLayout(options);
  const disk = await statfs(dirname(outPath)).catch(() => {
    throw usageError(`output directory does not exist: ${dirname(outPath)} (create it first or choose another path)`);
  });
  const freeBytes = disk.bavail * disk.bsize;
  if (freeBytes < plan.layout.fileBytes) {
    throw environmentError(
      `not enough disk space for ${outPath}: the twin needs ${plan.layout.fileBytes} bytes, ${freeBytes} are free (free some ` +
        `space or write it elsewhere)`,
    );
  }
  const specs = new Map(plan.tensors.map((t) => [t.name, t]));
  await writeGgmm(outPath, plan.layout, (placement) => {
    const spec = specs.get(placement.name);
    if (spec === undefined) throw new Error(`tensor not planned: ${placement.name}`);
    return twinTensorFiller(spec, plan.seed);
  });
  const written = (await stat(outPath)).size;
  if (written !== plan.layout.fileBytes) {
    throw environmentError(
      `cannot write ${outPath}: ${written} of ${plan.layout.fileBytes} bytes written (free some space, or write it elsewhere)`,
    );
  }
  return {
    path: outPath,
    shape: plan.shape.name,
    type: plan.type.name,
    seed: plan.seed,
    fileBytes: plan.layout.fileBytes,
    tensorCount: plan.tensors.length,
    elapsedMs: performance.now() - started,
  };
}
