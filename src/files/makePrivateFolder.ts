import { lstat, mkdir } from 'node:fs/promises';
import { usageError } from '../errors.js';

/**
 * Makes `dir` (mode 0700) for files only this user may change, e.g. the generated reference models under
 * the shared /tmp, and checks it: a real folder (no link), owned by this user, writable by no one else.
 * Another user who made it first could swap the models measured. Usage error (exit 2) naming it otherwise.
 */
export async function makePrivateFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stats = await lstat(dir);
  const uid = process.getuid?.();
  const problem = stats.isSymbolicLink()
    ? 'a symbolic link'
    : !stats.isDirectory()
      ? 'not a folder'
      : uid !== undefined && stats.uid !== uid
        ? `owned by user ${stats.uid}, not by you (${uid})`
        : (stats.mode & 0o022) !== 0
          ? `writable by others (mode ${(stats.mode & 0o777).toString(8)})`
          : null;
  if (problem)
    throw usageError(
      `${dir} is ${problem}: leakgate keeps its generated models there only in a folder of yours alone (remove it, or set ` +
        `TMPDIR to another folder)`,
    );
}
