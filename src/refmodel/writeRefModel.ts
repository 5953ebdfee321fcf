import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm, stat, statfs } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { environmentError, LeakgateError, usageError } from '../errors.js';
import { nonRegularKind } from '../files/fileKind.js';
import { fileSystemError } from '../files/fileSystemError.js';
import type { RefModelSpec } from './RefModelSpec.js';
import { encodeRefModelHeader } from './encodeRefModelHeader.js';
import { resolveRefModelSpec } from './resolveRefModelSpec.js';
import { MIB } from '../units.js';

/** Write size: big enough to be fast, small enough that a 1 GiB model never sits in JS memory. */
const CHUNK_BYTES = MIB;
/** Each page gets its index stamped in, so no two pages of a model are identical. */
const PAGE_BYTES = 4096;

let paddingPattern: Buffer | undefined;

/** A fixed pseudo-random (xorshift32) chunk: cheap to reuse and never an all-zero page. */
function paddingPatternChunk(): Buffer {
  if (paddingPattern) return paddingPattern;
  const pattern = Buffer.alloc(CHUNK_BYTES);
  let state = 0x9e3779b9;
  for (let offset = 0; offset < CHUNK_BYTES; offset += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pattern.writeUInt32LE(state >>> 0, offset);
  }
  paddingPattern = pattern;
  return pattern;
}

/** Fills `chunk` with the bytes of the file at [fileOffset, fileOffset + chunkBytes). */
function fillChunk(chunk: Buffer, chunkBytes: number, fileOffset: number, header: Buffer): void {
  paddingPatternChunk().copy(chunk, 0, 0, chunkBytes);
  for (let page = 0; page + 4 <= chunkBytes; page += PAGE_BYTES) {
    chunk.writeUInt32LE(((fileOffset + page) / PAGE_BYTES) >>> 0, page);
  }
  if (fileOffset < header.length) header.copy(chunk, 0, fileOffset, Math.min(header.length, fileOffset + chunkBytes));
}

function writeFailed(path: string, error: unknown): Error {
  if (error instanceof LeakgateError) return error;
  const mapped = fileSystemError(error, 'cannot write reference model', path);
  if (mapped instanceof LeakgateError) return mapped;
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return usageError(`cannot write reference model ${path}: ${code} (check that its directory exists, is writable and has space)`);
}

/**
 * Writes a reference model file for the reference engine, filling defaults (32 MiB, heap = size,
 * KV = size / 8, no leaks, transcript "零九零零零七三三三一"). Streams 1 MiB chunks to a temporary
 * file in the same directory and renames it into place, so readers never see a partial model.
 * Resolves to the spec actually written.
 */
export async function writeRefModel(path: string, spec: Partial<RefModelSpec>): Promise<RefModelSpec> {
  const resolved = resolveRefModelSpec(spec);
  const header = encodeRefModelHeader(resolved);
  const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);

  const existing = await stat(path).catch(() => null);
  const kind = existing && nonRegularKind(existing);
  if (kind)
    throw usageError(`cannot write reference model ${path}: it is ${kind}, and only a regular file is replaced (choose a file path)`);
  const disk = await statfs(dirname(path)).catch((error: unknown) => Promise.reject(writeFailed(path, error)));
  const freeBytes = disk.bavail * disk.bsize;
  if (freeBytes < resolved.sizeBytes) {
    throw environmentError(
      `not enough disk space for reference model ${path}: it needs ${resolved.sizeBytes} bytes, ${freeBytes} are free (free some space, ` +
        `pass a smaller --size, or write it elsewhere)`,
    );
  }
  let handle: FileHandle | undefined;
  try {
    handle = await open(tempPath, 'wx');
  } catch (error) {
    throw writeFailed(path, error);
  }
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    for (let offset = 0; offset < resolved.sizeBytes; offset += CHUNK_BYTES) {
      const chunkBytes = Math.min(CHUNK_BYTES, resolved.sizeBytes - offset);
      fillChunk(chunk, chunkBytes, offset, header);
      // A short write (a disk filling up) must not pass for a whole model.
      const { bytesWritten } = await handle.write(chunk, 0, chunkBytes, offset);
      if (bytesWritten !== chunkBytes)
        throw environmentError(
          `cannot write reference model ${path}: short write at byte ${offset + bytesWritten} of ${resolved.sizeBytes} (free some ` +
            `space, or write it elsewhere)`,
        );
    }
    const written = (await handle.stat()).size;
    if (written !== resolved.sizeBytes)
      throw environmentError(
        `cannot write reference model ${path}: ${written} of ${resolved.sizeBytes} bytes written (free some space, or write it elsewhere)`,
      );
    await handle.close();
    handle = undefined;
    await rename(tempPath, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw writeFailed(path, error);
  }
  return resolved;
}
