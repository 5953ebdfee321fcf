import { existsSync, statSync } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { usageError } from '../errors.js';
import { nonRegularKind } from './fileKind.js';

/**
 * Checks, before any work, that `path` can be written: it is a regular file or absent, and a file can
 * be created in its folder (or the nearest folder that exists). Usage error (exit 2) naming `what`
 * and the path otherwise; `fix` says what to pass instead.
 */
export async function checkWritableFile(path: string, what: string, fix: string): Promise<void> {
  const existing = await stat(path).catch(() => null);
  const kind = existing && nonRegularKind(existing);
  if (kind) throw usageError(`cannot write the ${what} ${path}: it is ${kind}, and only a regular file is replaced (${fix})`);
  let folder = dirname(path);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  if (!statSync(folder).isDirectory()) throw usageError(`cannot write the ${what} ${path}: ${folder} is a file, not a folder (${fix})`);
  const probe = join(folder, `.leakgate-write-check-${process.pid}`);
  try {
    await (await open(probe, 'w')).close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(`cannot write the ${what} ${path}: creating a file in ${folder} failed with ${code} (${fix})`);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
