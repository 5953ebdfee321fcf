import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The first executable regular file called `name` in the directories of `env.PATH`, or null.
 * Only PATH is consulted (not the shell's hash or aliases), as a child process would see it.
 */
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Missing or not executable: keep looking further down PATH.
    }
  }
  return null;
}
