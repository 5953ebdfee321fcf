import { readdir, readFile, readlink } from 'node:fs/promises';
import type { LeftBehind } from '../results/RunResults.js';

/** The worker's open fds (by target) and threads (by name) at one moment. */
export interface HandleSnapshot {
  /** readlink of each /proc/PID/fd entry: a path, "socket:[…]", "pipe:[…]", "anon_inode:[…]". */
  fdTargets: string[];
  /** /proc/PID/task/TID/comm of each thread. */
  threadNames: string[];
}

/** Reads the worker's fd targets and thread names (entries that vanish while being read are skipped). */
export async function snapshotHandles(pid: number): Promise<HandleSnapshot> {
  const fdDir = `/proc/${pid}/fd`;
  const taskDir = `/proc/${pid}/task`;
  const [fds, tasks] = await Promise.all([readdir(fdDir).catch(() => []), readdir(taskDir).catch(() => [])]);
  const fdTargets = await Promise.all(fds.map((fd) => readlink(`${fdDir}/${fd}`).catch(() => null)));
  const threadNames = await Promise.all(
    tasks.map((tid) =>
      readFile(`${taskDir}/${tid}/comm`, 'utf8').then(
        (s) => s.trim(),
        () => null,
      ),
    ),
  );
  return {
    fdTargets: fdTargets.filter((t): t is string => t !== null).sort(),
    threadNames: threadNames.filter((t): t is string => t !== null).sort(),
  };
}

/** Multiset difference: the entries of `after` beyond those of `before` (a second copy of the same target counts). */
function added(before: readonly string[], after: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const item of before) left.set(item, (left.get(item) ?? 0) + 1);
  const extra: string[] = [];
  for (const item of after) {
    const count = left.get(item) ?? 0;
    if (count > 0) left.set(item, count - 1);
    else extra.push(item);
  }
  return extra;
}

/** What is open or running after an unload that was not before the load. */
export function leftBehind(beforeLoad: HandleSnapshot, afterUnload: HandleSnapshot): LeftBehind {
  return { fds: added(beforeLoad.fdTargets, afterUnload.fdTargets), threads: added(beforeLoad.threadNames, afterUnload.threadNames) };
}
