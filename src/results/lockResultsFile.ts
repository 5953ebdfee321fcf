import { closeSync, constants, lstatSync, openSync, readFileSync, rmSync, type Stats } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { usageError } from '../errors.js';
import { fileSystemError } from '../files/fileSystemError.js';
import { makeFolder } from '../files/makeFolder.js';
import { nonRegularKind } from '../files/fileKind.js';
import { openOutputFile, refuseUnsafeOutput } from '../files/outputFile.js';
import { journalPathOf } from './ResultsJournal.js';

/** A held lock; `release` is safe to call more than once (and runs on process exit). */
export interface ResultsLock {
  path: string;
  release(): void;
}

/** The lock file beside a results file. */
export const lockPathOf = (resultsPath: string): string => `${resultsPath}.lock`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock beside `resultsPath` (`PATH.lock`, holding the pid), so two runs never write one
 * results file: the second would replace the first's measurements with its own. A lock left by a
 * process that no longer runs is taken over. Throws a usage error (exit 2) naming the holder's pid.
 */
export async function lockResultsFile(resultsPath: string): Promise<ResultsLock> {
  const path = lockPathOf(resultsPath);
  // The lock comes before the first results write, which is what made the folder until now
  // (the default results/ does not exist in a fresh clone).
  try {
    await makeFolder(dirname(resultsPath));
  } catch (error) {
    throw fileSystemError(error, 'cannot create the folder of the results file', dirname(resultsPath));
  }
  const fix = 'remove it, or pass --out to another file';
  // The journal is opened at the first switch: a link or FIFO planted there is refused now, before measuring.
  refuseUnsafeOutput(journalPathOf(resultsPath), 'results journal', fix);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      // O_EXCL: never through a link, never over a file already there.
      const handle = await openOutputFile(path, 'create', 'results lock', fix);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return holding(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fileSystemError(error, 'cannot create the lock file', path);
    }
    const holder = readLeakgateLock(path, resultsPath);
    if (holder !== null && holder !== process.pid && alive(holder)) {
      throw usageError(
        `another leakgate run (pid ${holder}) is writing the results file ${resultsPath} (wait for it to finish, or pass --out to ` +
          `another file; ${path} is its lock)`,
      );
    }
    // Stale (its process is gone) or a half-written (empty) lock of ours: take it over.
    await rm(path, { force: true });
  }
  throw usageError(`cannot take the lock ${path} for ${resultsPath}: other runs keep taking it (pass --out to another file)`);
}

/** Most bytes a lock leakgate wrote holds: a pid and a newline. */
const LOCK_MAX_BYTES = 32;

/**
 * The pid in a lock leakgate wrote (null for an empty one, half-written by a run killed at once). Anything
 * else at that path is not leakgate's and is never deleted: a link, folder, FIFO or a regular file holding
 * other text is refused (exit 2) naming it.
 */
function readLeakgateLock(path: string, resultsPath: string): number | null {
  const notOurs = (what: string): Error =>
    usageError(
      `${path} is ${what}, not a lock leakgate made for ${resultsPath}, and is left as it is (remove it, or pass --out to another file)`,
    );
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch {
    return null; // gone since: take the lock on the next attempt
  }
  if (stats.isSymbolicLink()) throw notOurs('a symbolic link');
  const kind = nonRegularKind(stats);
  if (kind) throw notOurs(kind);
  if (stats.size === 0) return null;
  if (stats.size > LOCK_MAX_BYTES) throw notOurs(`a file of ${stats.size} bytes`);
  let text: string;
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw fileSystemError(error, 'cannot read the lock file', path);
  }
  if (!/^\d+\n?$/.test(text) || Number(text) < 1) throw notOurs('a file holding something other than a pid');
  return Number.parseInt(text, 10);
}

function holding(path: string): ResultsLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Only our own lock: never remove one another run took over.
    try {
      if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) rmSync(path, { force: true });
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { path, release };
}
