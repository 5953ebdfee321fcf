import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { usageError } from '../errors.js';

/** What a path is, in words, when it is not a regular file ("a FIFO", "a folder"); null for a regular file. */
export function nonRegularKind(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Refuses (usage error, exit 2) a path that exists but is not a regular file, before anything opens it:
 * opening a FIFO for reading blocks until a writer comes, so a FIFO given as a model, library, results
 * file or baseline would hang the command for good. A missing path passes: the caller says what is missing.
 * `what` names the thing ("results file"), `fix` says what to pass instead.
 */
export async function refuseNonRegularFile(path: string, what: string, fix: string): Promise<void> {
  const stats = await stat(path).catch(() => null);
  const kind = stats && nonRegularKind(stats);
  if (kind) throw usageError(`${what} ${path} is ${kind}, not a regular file (${fix})`);
}

/** refuseNonRegularFile, synchronously. */
export function refuseNonRegularFileSync(path: string, what: string, fix: string): void {
  let stats: Stats | null = null;
  try {
    stats = statSync(path);
  } catch {
    return;
  }
  const kind = nonRegularKind(stats);
  if (kind) throw usageError(`${what} ${path} is ${kind}, not a regular file (${fix})`);
}
