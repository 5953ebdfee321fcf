import { accessSync, chmodSync, constants, existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { environmentError, LeakgateError, usageError } from '../errors.js';
import { findExecutable } from '../transcript/findExecutable.js';
import { describeFfmpegSource } from './describeFfmpeg.js';
import type { FfmpegChoice, FfmpegSource } from './FfmpegChoice.js';
import { ffmpegVersion } from './ffmpegVersion.js';
import { FFMPEG_PACKAGE, packagedFfmpegPath } from './packagedFfmpegPath.js';
import { PLATFORM } from '../system/platform.js';

/** `LEAKGATE_PACKAGED_FFMPEG=0` never falls back to the ffmpeg npm install brought: yours or none. */
const PACKAGED_FFMPEG_SWITCH = 'LEAKGATE_PACKAGED_FFMPEG';
/** chatllm.cpp runs `ffmpeg` by name (popen), from the folder leakgate puts first on the worker's PATH. */
const FFMPEG_NAME = 'ffmpeg';

/**
 * Chooses the ffmpeg chatllm.cpp will decode audio with, in order: `--ffmpeg PATH` (`flag`), then
 * `LEAKGATE_FFMPEG`, then `ffmpeg` on `env.PATH`, then the one `npm install` brought
 * (@ffmpeg-installer/ffmpeg), and asks it its version. An ffmpeg named explicitly must be usable:
 * a wrong one is an error, never skipped for the next. The packaged binary is made executable when
 * it is not (npm 11 skips its `chmod u+x` postinstall) and we own it. Never throws for a problem
 * with the machine: the choice carries the error, which matters only to a real engine.
 */
export async function resolveFfmpeg(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
  packaged: () => string | null = packagedFfmpegPath,
): Promise<FfmpegChoice> {
  try {
    const { path, source } = locate(flag, env, cwd, packaged);
    try {
      return { found: { path, source, version: await ffmpegVersion(path, env) }, error: null };
    } catch (error) {
      throw environmentError(
        `ffmpeg does not run: ${path} (${describeFfmpegSource(source)}; ${(error as Error).message}; fix: pass --ffmpeg PATH to a ` +
          `working ffmpeg, or apt-get install ffmpeg)`,
      );
    }
  } catch (error) {
    if (error instanceof LeakgateError) return { found: null, error };
    throw error;
  }
}

function locate(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
  packaged: () => string | null,
): { path: string; source: FfmpegSource } {
  if (flag !== undefined) return { path: checkNamed(resolve(cwd, flag), '--ffmpeg'), source: '--ffmpeg' };
  if (env.LEAKGATE_FFMPEG) return { path: checkNamed(resolve(cwd, env.LEAKGATE_FFMPEG), 'LEAKGATE_FFMPEG'), source: 'LEAKGATE_FFMPEG' };
  const onPath = findExecutable(FFMPEG_NAME, env);
  if (onPath !== null) return { path: onPath, source: 'PATH' };
  const switchedOff = env[PACKAGED_FFMPEG_SWITCH] === '0';
  const bundled = switchedOff ? null : packaged();
  if (bundled !== null && existsSync(bundled)) return { path: makeExecutable(bundled), source: 'packaged' };
  const why = switchedOff
    ? `${PACKAGED_FFMPEG_SWITCH}=0 turns off the one npm install brings`
    : bundled === null
      ? `no packaged one (${FFMPEG_PACKAGE} for ${PLATFORM}, which npm install brings)`
      : `the packaged binary is missing: ${bundled}`;
  throw environmentError(
    `ffmpeg not found: none on PATH, and ${why}; chatllm.cpp decodes audio with ffmpeg and silently transcribes nothing without it ` +
      `(fix: ${switchedOff ? `unset ${PACKAGED_FFMPEG_SWITCH}` : 'npm install'}, pass --ffmpeg PATH, or apt-get install ffmpeg)`,
  );
}

/** An ffmpeg the user named: it must be an executable file called ffmpeg (usage error otherwise). */
function checkNamed(path: string, source: '--ffmpeg' | 'LEAKGATE_FFMPEG'): string {
  const fix =
    source === '--ffmpeg' ? 'pass --ffmpeg PATH to an ffmpeg executable' : 'set LEAKGATE_FFMPEG to an ffmpeg executable, or unset it';
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw usageError(`ffmpeg not found: ${path} (from ${source}; ${fix})`);
  }
  if (!isFile) throw usageError(`ffmpeg is not a file: ${path} (from ${source}; ${fix})`);
  if (basename(path) !== FFMPEG_NAME) {
    throw usageError(
      `ffmpeg must be a file called ffmpeg, got ${path} (from ${source}; chatllm.cpp runs it by that name: symlink it, e.g. ln -s ` +
        `${path} DIR/ffmpeg, and pass DIR/ffmpeg)`,
    );
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw usageError(`ffmpeg is not executable: ${path} (from ${source}; fix: chmod u+x ${path})`);
  }
  return path;
}

/** The packaged binary, made executable when it is not and we own it. */
function makeExecutable(path: string): string {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    // npm 11 does not run the platform package's `chmod u+x ffmpeg` postinstall.
  }
  try {
    chmodSync(path, statSync(path).mode | 0o100);
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    throw environmentError(
      `the ffmpeg npm installed is not executable: ${path} (npm skipped its chmod postinstall; fix: chmod u+x ${path})`,
    );
  }
}
