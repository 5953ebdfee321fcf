import { existsSync, statSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { usageError } from '../errors.js';
import { nonRegularKind } from './fileKind.js';
import { openOutputFile } from './outputFile.js';

/**
 * Checks, before any work, that `path` can be written: it is a regular file or absent, and a file can
 * be created in its folder (or the nearest folder that exists). Usage error (exit 2) naming `what`
 * and the path otherwise; `fix` says what to pass instead.
 */
export async function checkWritableFile(path: string, what: string, fix: string): Promise<void> {
  const existing = await stat(path).catch(() => null);
  const kind = existing && nonRegularKind(existing);
  if (kind) throw usageError(`cannot write the ${what} ${path}: it is ${kind}, and only a regular file is replaced (${fix})`);
  await checkWritableFolder(dirname(path), `cannot write the ${what} ${path}`, fix);
}

/**
 * Checks that a file can be created in `folder`, or in the nearest folder above it that exists (the
 * rest is made later), by creating one and removing it at once. Usage error (exit 2) otherwise,
 * starting with `cannot` ("cannot write the results file out.json") and ending with `fix`.
 */
export async function checkWritableFolder(folder: string, cannot: string, fix: string): Promise<void> {
  let existing = folder;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) throw usageError(`${cannot}: ${existing} is a file, not a folder (${fix})`);
  const probe = join(existing, `.leakgate-write-check-${process.pid}`);
  try {
    // Never through a link planted at the probe's name: removed, then made new (O_EXCL, O_NOFOLLOW).
    await rm(probe, { force: true });
    await (await openOutputFile(probe, 'create', 'write check', fix)).close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(`${cannot}: creating a file in ${existing} failed with ${code} (${fix})`);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
