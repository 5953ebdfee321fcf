import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { usageError } from '../errors.js';
import type { RefModelSpec } from './RefModelSpec.js';
import { decodeRefModelHeader, hasRefModelMagic, refModelFixedHeaderBytes } from './decodeRefModelHeader.js';
import { refModelLayout } from './refModelLayout.js';

/** The largest header a reference model has: the fixed fields and a transcript of at most 64 MiB (a hundred times a long recording's). */
const MAX_HEADER_BYTES = refModelFixedHeaderBytes + 64 * 1024 * 1024;

/**
 * Reads the header of a reference model. Resolves to null when the file is not one (e.g. a real
 * chatllm.cpp model); rejects with a usage error when it is missing, unreadable, or ours but
 * truncated, corrupt or of another format version (the reference engine would refuse it too).
 */
export async function readRefModelHeader(path: string): Promise<RefModelSpec | null> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a FIFO is refused below instead of blocking the open for good.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
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
    // Not ours (a chatllm.cpp model, a video given by mistake): its bytes 12-15 are no header size.
    if (!hasRefModelMagic(fixed)) return null;
    let header = fixed;
    if (fixed.length === refModelFixedHeaderBytes) {
      const declaredBytes = fixed.readUInt32LE(refModelLayout.offsets.headerBytes);
      // Bounded before anything is allocated: a corrupt size must not ask for gigabytes.
      if (declaredBytes > MAX_HEADER_BYTES) {
        throw usageError(
          `reference model header corrupt: ${path} declares a ${declaredBytes}-byte header, more than ${MAX_HEADER_BYTES} (regenerate it ` +
            `with leakgate make-ref-model)`,
        );
      }
      const headerBytes = Math.min(declaredBytes, fileBytes);
      if (headerBytes > fixed.length) {
        header = Buffer.alloc(headerBytes);
        await handle.read(header, 0, headerBytes, 0);
      }
    }

    const spec = decodeRefModelHeader(header, path);
    if (spec && spec.sizeBytes !== fileBytes) {
      throw usageError(
        `reference model truncated or altered: ${path} is ${fileBytes} bytes, its header says ${spec.sizeBytes} (regenerate it ` +
          `with leakgate make-ref-model)`,
      );
    }
    return spec;
  } finally {
    await handle.close();
  }
}
