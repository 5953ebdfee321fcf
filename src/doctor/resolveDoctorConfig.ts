import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LeakgateError } from '../errors.js';
import { engineLibraryCandidates } from '../config/engineLibraryCandidates.js';
import { PACKAGE_ROOT } from '../leakgatePackage.js';
import { resolveFfmpeg } from '../ffmpeg/resolveFfmpeg.js';
import { DEFAULT_AUDIO, requestedLibraryPath, requestedModelPaths, resolveRunConfig } from '../config/resolveRunConfig.js';
import type { RunOptions } from '../config/RunOptions.js';
import type { DoctorConfig } from './DoctorConfig.js';

/** The doctor's configuration, and the error `leakgate run` would have stopped on, if any. */
export interface ResolvedDoctorConfig {
  config: DoctorConfig;
  configError: LeakgateError | null;
}

/**
 * Resolves options exactly as `leakgate run` does (resolveRunConfig). When that fails (a missing
 * model or library), falls back to the paths as given, so each check can say which one is wrong
 * instead of the doctor stopping at the first.
 */
export async function resolveDoctorConfig(options: RunOptions, env: NodeJS.ProcessEnv, cwd: string): Promise<ResolvedDoctorConfig> {
  try {
    return { config: await resolveRunConfig(options, env, cwd), configError: null };
  } catch (error) {
    if (!(error instanceof LeakgateError)) throw error;
    const models = requestedModelPaths(options, env);
    const candidates = engineLibraryCandidates();
    const libraryPath = requestedLibraryPath(options, env) ?? candidates.find((path) => existsSync(path)) ?? candidates[0]!;
    return {
      config: {
        libraryPath: resolve(cwd, libraryPath),
        referenceEngine: false,
        models: models.map((path) => ({ path: resolve(cwd, path) })),
        audioPath: resolve(cwd, options.audio ?? DEFAULT_AUDIO),
        ffmpeg: await resolveFfmpeg(options.ffmpeg, env, cwd),
      },
      configError: error,
    };
  }
}
