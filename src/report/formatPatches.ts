import type { EnginePatch } from '../results/RunResults.js';

/**
 * "0001-destroy.diff (sha256 1a2b3c4d5e6f), 0002-leak.diff (…)"; "none (upstream as is)" for [];
 * "unknown" when the library's build did not record them.
 */
export function formatPatches(patches: EnginePatch[] | undefined): string {
  if (patches === undefined) return 'unknown (no BUILD_INFO.json with a patch list beside the library)';
  if (patches.length === 0) return 'none (upstream as is)';
  return patches.map((patch) => `${patch.name} (sha256 ${patch.sha256.slice(0, 12)})`).join(', ');
}
