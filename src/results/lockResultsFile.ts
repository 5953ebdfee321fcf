import { readFileSync, rmSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { usageError } from '../errors.js';
import { fileSystemError } from '../files/fileSystemError.js';
import { makeFolder } from '../files/makeFolder.js';

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
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return holding(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fileSystemError(error, 'cannot create the lock file', path);
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw usageError(
        `another leakgate run (pid ${holder}) is writing the results file ${resultsPath} (wait for it to finish, or pass --out to another file; ${path} is its lock)`,
      );
    }
    // Stale (its process is gone) or unreadable half-written lock: take it over.
    await rm(path, { force: true });
  }
  throw usageError(`cannot take the lock ${path} for ${resultsPath}: other runs keep taking it (pass --out to another file)`);
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
