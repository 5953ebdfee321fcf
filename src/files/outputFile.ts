/**
 * The one way leakgate opens a file it writes (results, journal, lock, report, SVGs, baselines, twins,
 * job-summary appends): never through a symbolic link, never into a FIFO or device, never over one of
 * the run's inputs. Anything else is refused with one line naming both files and the fix (exit 2).
 */
import { constants, lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { usageError } from '../errors.js';
import { nonRegularKind } from './fileKind.js';

/** A file a command reads (or writes), named for the error line: `{ what: '--ffmpeg', path }`. */
export interface NamedPath {
  what: string;
  path: string;
}

/** How an output file is opened: made new (fails if it exists), replaced (truncated), or appended to. */
export type OutputMode = 'create' | 'replace' | 'append';

const MODE_FLAGS: Record<OutputMode, number> = {
  create: constants.O_CREAT | constants.O_EXCL,
  replace: constants.O_CREAT | constants.O_TRUNC,
  append: constants.O_CREAT | constants.O_APPEND,
};

/** Where `path` really is: its realpath, or (not there yet) its folder's realpath joined with its name. */
function realLocation(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * Refuses (exit 2) an output path that is a symbolic link, a FIFO, a device or a folder: a link would be
 * followed to a file that is not leakgate's, a FIFO blocks the writer for good. A missing path passes.
 */
export function refuseUnsafeOutput(path: string, what: string, fix: string): void {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch {
    return;
  }
  if (stats.isSymbolicLink())
    throw usageError(`cannot write the ${what} ${path}: it is a symbolic link, and leakgate never writes through one (${fix})`);
  const kind = nonRegularKind(stats);
  if (kind) throw usageError(`cannot write the ${what} ${path}: it is ${kind}, and only a regular file is written (${fix})`);
}

/**
 * Refuses (exit 2) an output that is one of `inputs`: the same file by realpath or by (device, inode), so
 * neither a second spelling, a symbolic link nor a hard link lets a write destroy what the command reads.
 */
export function refuseOutputOverInput(output: NamedPath, inputs: readonly NamedPath[], fix: string): void {
  const outReal = realLocation(output.path);
  const outStats = statOrNull(output.path);
  for (const input of inputs) {
    const inStats = statOrNull(input.path);
    const sameInode = outStats !== null && inStats !== null && outStats.dev === inStats.dev && outStats.ino === inStats.ino;
    if (sameInode || realLocation(input.path) === outReal) {
      throw usageError(`the ${output.what} ${output.path} is the ${input.what} ${input.path}: writing it would destroy it (${fix})`);
    }
  }
}

/**
 * Opens `path` for writing without following a symbolic link (O_NOFOLLOW) and without blocking on a
 * FIFO (O_NONBLOCK), then checks what was opened is a regular file. `create` also refuses any file
 * already there (O_EXCL). Errors: a usage error for a link, FIFO or device; Node's errno error otherwise
 * (the caller maps it with fileSystemError).
 */
export async function openOutputFile(path: string, mode: OutputMode, what: string, fix: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | MODE_FLAGS[mode], 0o666);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP: the last part is a symbolic link; ENXIO: a FIFO nobody reads.
    if (code === 'ELOOP' || code === 'ENXIO') refuseUnsafeOutput(path, what, fix);
    throw error;
  }
  const kind = nonRegularKind(await handle.stat());
  if (kind) {
    await handle.close();
    throw usageError(`cannot write the ${what} ${path}: it is ${kind}, and only a regular file is written (${fix})`);
  }
  return handle;
}
