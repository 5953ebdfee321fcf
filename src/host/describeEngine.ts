import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../leakgatePackage.js';
import { sha256File } from '../files/sha256File.js';
import type { EngineInfo } from '../results/RunResults.js';
import { readBuildInfo } from './readBuildInfo.js';

/**
 * Identity of the engine library for results and baselines. The chatllm.cpp commit comes from
 * CHATLLM_COMMIT when set, else from the BUILD_INFO.json beside the library, else from the
 * native/chatllm.cpp pin when the library was built from it. The patch set comes from BUILD_INFO.json.
 */
export async function describeEngine(libraryPath: string, reference: boolean, env: NodeJS.ProcessEnv): Promise<EngineInfo> {
  const buildInfo = reference ? null : await readBuildInfo(libraryPath);
  return {
    path: libraryPath,
    sha256: await sha256File(libraryPath),
    reference,
    chatllmCommit: reference
      ? null
      : (env.CHATLLM_COMMIT ?? buildInfo?.commit ?? (libraryPath.startsWith(join(PACKAGE_ROOT, 'native/build')) ? pinnedCommit() : null)),
    ...(buildInfo?.patches ? { patches: buildInfo.patches } : {}),
  };
}

/** The commit the native/chatllm.cpp gitlink pins, or null outside a git checkout. */
export function pinnedCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD:native/chatllm.cpp'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}
