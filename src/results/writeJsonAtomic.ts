import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes text through a temp file + fsync + rename, so a reader (or a crash) never sees half a
 * file and a failed write never clobbers the previous good one.
 */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Pretty JSON with a trailing newline, written atomically (see writeTextAtomic). */
export const writeJsonAtomic = (path: string, value: unknown): Promise<void> =>
  writeTextAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
