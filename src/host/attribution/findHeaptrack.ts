import { access, constants } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { environmentError } from '../../errors.js';

/** heaptrack's pieces leakgate uses: the preload library (set in the worker only) and the interpreter of its dumps. */
export interface Heaptrack {
  preloadLibrary: string;
  interpreter: string;
}

/** Where distributions install heaptrack's preload library (Debian/Ubuntu, Fedora/Arch, /usr/local builds). */
const PRELOAD_CANDIDATES = [
  '/usr/lib/heaptrack/libheaptrack_preload.so',
  '/usr/lib/x86_64-linux-gnu/heaptrack/libheaptrack_preload.so',
  '/usr/lib64/heaptrack/libheaptrack_preload.so',
  '/usr/local/lib/heaptrack/libheaptrack_preload.so',
];

/** The install hint of the one-line "missing" error. */
export const HEAPTRACK_INSTALL_HINT = 'apt-get install heaptrack';

/** Finds heaptrack's preload library and heaptrack_interpret (beside it, in libexec/); null when either is missing. */
export async function findHeaptrack(env: NodeJS.ProcessEnv = process.env): Promise<Heaptrack | null> {
  const candidates = env.LEAKGATE_HEAPTRACK_PRELOAD ? [env.LEAKGATE_HEAPTRACK_PRELOAD] : PRELOAD_CANDIDATES;
  for (const preloadLibrary of candidates) {
    const interpreter = join(dirname(preloadLibrary), 'libexec', 'heaptrack_interpret');
    if ((await readable(preloadLibrary, constants.R_OK)) && (await readable(interpreter, constants.X_OK))) {
      return { preloadLibrary, interpreter };
    }
  }
  return null;
}

/** findHeaptrack, or the one-line environment error (exit 4) naming the fix. */
export async function requireHeaptrack(env: NodeJS.ProcessEnv = process.env): Promise<Heaptrack> {
  const heaptrack = await findHeaptrack(env);
  if (!heaptrack)
    throw environmentError(
      `heaptrack is not installed, and leakgate attribute needs it to name allocation sites (${HEAPTRACK_INSTALL_HINT})`,
    );
  return heaptrack;
}

async function readable(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}
