/**
 * `leakgate doctor`'s mechanism: the checks in the order they print, the configuration they look at
 * (resolved as `run` resolves it, or the paths as given when that fails), and the precheck `run` and
 * `compare` make before measuring.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { engineLibraryCandidates } from '../config/engineLibraryCandidates.js';
import { DEFAULT_AUDIO, requestedLibraryPath, requestedModelPaths, resolveRunConfig } from '../config/resolveRunConfig.js';
import type { RunConfig } from '../config/RunConfig.js';
import type { RunOptions } from '../config/RunOptions.js';
import { LeakgateError } from '../errors.js';
import { resolveFfmpeg } from '../ffmpeg/resolveFfmpeg.js';
import { audioCheck } from './checks/audioCheck.js';
import { engineLibraryCheck } from './checks/engineLibraryCheck.js';
import { ffmpegCheck } from './checks/ffmpegCheck.js';
import { heaptrackCheck } from './checks/heaptrackCheck.js';
import { memoryCheck } from './checks/memoryCheck.js';
import { modelFilesCheck } from './checks/modelFilesCheck.js';
import { formatDoctorResult, type DoctorCheck, type DoctorConfig, type DoctorResult } from './DoctorCheck.js';

/** Every doctor check, in the order they print; the first FAIL decides the exit code. */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  engineLibraryCheck,
  ffmpegCheck,
  modelFilesCheck,
  audioCheck,
  memoryCheck,
  heaptrackCheck,
];

/**
 * Runs the checks one after another (the engine check forks a worker; the rest are cheap) and
 * returns every line. `run` and the gate call it before measuring; `doctorExitCode` turns it into
 * an exit code.
 */
export async function runDoctorChecks(
  config: DoctorConfig,
  env: NodeJS.ProcessEnv,
  checks: readonly DoctorCheck[] = DOCTOR_CHECKS,
): Promise<DoctorResult[]> {
  const results: DoctorResult[] = [];
  for (const check of checks) results.push(...(await check.run(config, env)));
  return results;
}

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

/** The engine check forks a worker; the run's own worker reports a bad library the same way, at once. */
const PRE_RUN_CHECKS = DOCTOR_CHECKS.filter((check) => check.name !== 'engine');

/**
 * The doctor's checks that must pass before any model is loaded: chatllm.cpp transcribes nothing,
 * silently, without ffmpeg or with an unreadable audio file, and an hour of runs would measure
 * nothing (the reference engine needs the audio file but no ffmpeg: the ffmpeg check knows).
 * Throws the first failure as one line with its fix; returns the warnings to print.
 */
export async function precheckRun(config: RunConfig, env: NodeJS.ProcessEnv): Promise<string[]> {
  const results = await runDoctorChecks(config, env, PRE_RUN_CHECKS);
  const failure = results.find((result) => result.status === 'FAIL');
  if (failure) throw new LeakgateError(`${failure.detail}${failure.fix ? ` (${failure.fix})` : ''}`, failure.exitCode);
  return results.filter((result) => result.status === 'warn').map(formatDoctorResult);
}
