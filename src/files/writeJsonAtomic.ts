import { rename, rm, stat, statfs } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { environmentError, usageError } from '../errors.js';
import { nonRegularKind } from './fileKind.js';
import { fileSystemError } from './fileSystemError.js';
import { makeFolder } from './makeFolder.js';
import { openOutputFile } from './outputFile.js';

/** Temp files being written: a process.exit mid-write (a second Ctrl-C) removes them on its way out. */
const pendingTemps = new Set<string>();
process.on('exit', () => {
  for (const temp of pendingTemps) rmSync(temp, { force: true });
});

/** Room left beside the file after writing, so a write never takes a disk's last bytes. */
const FREE_SPACE_MARGIN_BYTES = 4 * 1024;

/**
 * Writes text through a temp file + fsync + rename, so a reader (or a crash) never sees half a
 * file and a failed write never clobbers the previous good one. Replaces only a regular file (never a
 * device, FIFO or folder); checks the free space first and the size written after. File-system
 * errors become one line with the path and the fix (exit 2 or 4), `what` naming the file.
 */
export async function writeTextAtomic(path: string, text: string, what = 'file'): Promise<void> {
  const existing = await stat(path).catch(() => null);
  const kind = existing && nonRegularKind(existing);
  if (kind) throw usageError(`cannot write the ${what} ${path}: it is ${kind}, and only a regular file is replaced (choose a file path)`);
  const bytes = Buffer.byteLength(text);
  const temp = `${path}.${process.pid}.tmp`;
  pendingTemps.add(temp);
  try {
    await makeFolder(dirname(path));
    const disk = await statfs(dirname(path)).catch(() => null);
    if (disk && disk.bavail * disk.bsize < bytes + FREE_SPACE_MARGIN_BYTES) {
      throw environmentError(
        `cannot write the ${what} ${path}: ${bytes} bytes needed, ${disk.bavail * disk.bsize} free on its disk (free some ` +
          `space, or write elsewhere)`,
      );
    }
    // A temp file left by a killed run with this pid is ours; a link planted there is removed, not followed.
    await rm(temp, { force: true });
    const handle = await openOutputFile(temp, 'create', what, 'choose another path');
    try {
      await handle.writeFile(text);
      await handle.sync();
      const written = (await handle.stat()).size;
      if (written !== bytes)
        throw environmentError(
          `cannot write the ${what} ${path}: ${written} of ${bytes} bytes written (free some space, or write elsewhere)`,
        );
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw fileSystemError(error, `cannot write the ${what}`, path);
  } finally {
    pendingTemps.delete(temp);
  }
}

/** Pretty JSON with a trailing newline, written atomically (see writeTextAtomic). */
export const writeJsonAtomic = (path: string, value: unknown, what?: string): Promise<void> =>
  writeTextAtomic(path, `${JSON.stringify(value, null, 2)}\n`, what);
