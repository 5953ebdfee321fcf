import { open } from 'node:fs/promises';
import { usageError } from '../errors.js';
import type { RefModelSpec } from './RefModelSpec.js';
import { decodeRefModelHeader, refModelFixedHeaderBytes } from './decodeRefModelHeader.js';
import { refModelLayout } from './refModelLayout.js';

/**
 * Reads the header of a reference model. Resolves to null when the file is not one (e.g. a real
 * chatllm.cpp model); rejects with a usage error when it is missing, unreadable, or ours but
 * truncated, corrupt or of another format version (the reference engine would refuse it too).
 */
export async function readRefModelHeader(path: string): Promise<RefModelSpec | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw usageError(`model file not found: ${path} (pass an existing file, or create one with leakgate make-ref-model)`);
    }
    throw usageError(`cannot read model file ${path}: ${code ?? String(error)} (check its permissions)`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw usageError(`model path is not a file: ${path} (pass the model file itself)`);
    const fileBytes = stats.size;

    const fixed = Buffer.alloc(Math.min(fileBytes, refModelFixedHeaderBytes));
    await handle.read(fixed, 0, fixed.length, 0);
    let header = fixed;
    if (fixed.length === refModelFixedHeaderBytes) {
      const headerBytes = Math.min(fixed.readUInt32LE(refModelLayout.offsets.headerBytes), fileBytes);
      if (headerBytes > fixed.length) {
        header = Buffer.alloc(headerBytes);
        await handle.read(header, 0, headerBytes, 0);
      }
    }

    const spec = decodeRefModelHeader(header, path);
    if (spec && spec.sizeBytes !== fileBytes) {
      throw usageError(
        `reference model truncated or altered: ${path} is ${fileBytes} bytes, its header says ${spec.sizeBytes} (regenerate it with leakgate make-ref-model)`,
      );
    }
    return spec;
  } finally {
    await handle.close();
  }
}
