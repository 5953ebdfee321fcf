import { lstat, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { usageError } from '../errors.js';
import { nonRegularKind } from '../files/fileKind.js';

/**
 * The baselines folder (`baselinesDir`, or baselines/ in the project) where no baseline can be: a file,
 * FIFO or device at it or above it, or a link to nothing. Checked before a run measures, not when its
 * baseline is read or written after it (exit 2, naming the path and `fix`). A folder that does not
 * exist yet passes: `baseline update` makes it.
 */
export async function checkBaselinesDir(dir: string, fix: string): Promise<void> {
  for (let at = dir; ; at = dirname(at)) {
    const stats = await stat(at).catch(() => null);
    if (stats?.isDirectory()) return;
    if (stats)
      throw usageError(
        `the baselines folder ${dir} cannot hold baselines: ${at} is ${nonRegularKind(stats) ?? 'a file'}, not a folder (${fix})`,
      );
    if ((await lstat(at).catch(() => null))?.isSymbolicLink()) {
      throw usageError(`the baselines folder ${dir} cannot hold baselines: ${at} is a symbolic link to nothing (${fix})`);
    }
    if (dirname(at) === at) return;
  }
}
