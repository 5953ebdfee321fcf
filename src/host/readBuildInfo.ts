import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EnginePatch } from '../results/RunResults.js';

/** What leakgate reads from the BUILD_INFO.json that `npm run native:build` writes beside the library. */
export interface BuildInfo {
  commit: string | null;
  /** null when the file predates patch sets (unknown), [] for upstream as is. */
  patches: EnginePatch[] | null;
}

/** BUILD_INFO.json beside `libraryPath`, or null when there is none or it is unreadable (a library built elsewhere). */
export async function readBuildInfo(libraryPath: string): Promise<BuildInfo | null> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dirname(libraryPath), 'BUILD_INFO.json'), 'utf8'));
  } catch {
    return null;
  }
  if (json === null || typeof json !== 'object') return null;
  const { commit, patches } = json as { commit?: unknown; patches?: unknown };
  const validPatches =
    Array.isArray(patches) && patches.every((p) => typeof p?.name === 'string' && typeof p?.sha256 === 'string')
      ? (patches as EnginePatch[]).map(({ name, sha256 }) => ({ name, sha256 }))
      : null;
  return { commit: typeof commit === 'string' ? commit : null, patches: validPatches };
}
