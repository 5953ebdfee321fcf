import { rename, rm } from 'node:fs/promises';
import { openOutputFile } from '../files/outputFile.js';
import { basename, dirname, join } from 'node:path';
import type { GgmmLayout, GgmmTensorPlacement } from './ggmmLayout.js';
import { MIB } from '../units.js';

/** Fills successive chunks of one tensor's data; every chunk but the last is a multiple of 4 bytes. */
export type TensorChunkFiller = (chunk: Buffer) => void;

/** Makes the filler for one tensor; called once per tensor, in file order. */
export type TensorDataSource = (tensor: GgmmTensorPlacement) => TensorChunkFiller;

const defaultChunkBytes = 4 * MIB;

function chunkBuffer(bytes: number): Buffer {
  // own ArrayBuffer at offset 0, so fillers can lay typed-array views over it
  return Buffer.from(new ArrayBuffer(Math.ceil(bytes / 4) * 4), 0, bytes);
}

/**
 * Writes a planned GGMM file, streaming tensor data chunk by chunk through one file handle with two
 * alternating buffers (one being filled while the other is written), so memory stays a few MB whatever
 * the model size. Writes to a temporary name beside `path` and renames at the end, so a failed or
 * interrupted run never leaves a truncated model that looks valid.
 */
export async function writeGgmm(
  path: string,
  layout: GgmmLayout,
  source: TensorDataSource,
  options: { chunkBytes?: number } = {},
): Promise<void> {
  const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  const capacity = options.chunkBytes ?? defaultChunkBytes;
  const buffers = [chunkBuffer(capacity), chunkBuffer(capacity)];
  // Never through a link planted at the temp name.
  await rm(tempPath, { force: true });
  const handle = await openOutputFile(tempPath, 'create', 'twin', 'choose another path');
  let committed = false;
  let pending: Promise<unknown> = Promise.resolve();
  try {
    let position = 0;
    let which = 0;
    const append = async (data: Buffer): Promise<void> => {
      await pending;
      pending = handle.write(data, 0, data.length, position);
      position += data.length;
    };
    await append(layout.head);
    for (const tensor of layout.tensors) {
      await append(tensor.prefix);
      const fill = source(tensor);
      // whole blocks per chunk, and a multiple of 4 bytes so random streams do not depend on chunking
      const unit = tensor.type.blockBytes * 4;
      const perChunk = Math.max(unit, Math.floor(capacity / unit) * unit);
      for (let done = 0; done < tensor.dataBytes; done += perChunk) {
        const size = Math.min(perChunk, tensor.dataBytes - done);
        const buf = buffers[which] ?? chunkBuffer(capacity);
        which ^= 1;
        // no wait here: this buffer's previous write finished before the latest append started
        const chunk = size <= buf.length ? buf.subarray(0, size) : chunkBuffer(size);
        fill(chunk);
        await append(chunk);
      }
    }
    await pending;
    if (position !== layout.fileBytes) throw new Error(`wrote ${position} bytes, planned ${layout.fileBytes}`);
    await handle.close();
    await rename(tempPath, path);
    committed = true;
  } finally {
    if (!committed) {
      // let an in-flight write settle before closing; its error, if any, is secondary to the one thrown
      await pending.catch(() => undefined);
      await handle.close().catch(() => undefined);
      await rm(tempPath, { force: true });
    }
  }
}
