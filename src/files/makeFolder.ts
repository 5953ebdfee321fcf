import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * mkdir -p, one level at a time. Node's mkdir({ recursive: true }) spins for ever on some paths
 * (under /proc it retries without end); here a folder that cannot be made fails with its errno
 * (ENOENT, EACCES, EROFS ...), which the caller turns into a one-line error.
 */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  let folder = dir;
  while (!(await stat(folder).catch(() => null)) && dirname(folder) !== folder) {
    missing.unshift(folder);
    folder = dirname(folder);
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
