import { execFile } from 'node:child_process';
import { constants, type Stats } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { usageError } from '../errors.js';
import { findExecutable } from './findExecutable.js';

const PROBE_TIMEOUT_MS = 15_000;
const CONVERT_HINT = 'convert it: ffmpeg -i IN -ar 16000 -ac 1 -sample_fmt s16 OUT.wav';

/**
 * Fails fast, before any model is loaded, on an audio file that would otherwise make chatllm.cpp
 * quietly return an empty transcript (usageError, exit 2). Needs no ffmpeg (whether there is one is
 * the ffmpeg check's business): the same contract holds for the reference engine. In order:
 * 1. the audio file exists, is a regular file, is readable and is not empty;
 * 2. the file is audio: with `ffprobe` on `env.PATH`, it must report an audio stream; without
 *    ffprobe, the file must start with a RIFF/WAVE header.
 */
export async function precheckAudio(audioPath: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await checkFileReadable(audioPath);
  const ffprobe = findExecutable('ffprobe', env);
  if (ffprobe !== null) {
    const verdict = await probeHasAudioStream(ffprobe, audioPath, env);
    if (verdict === true) return;
    if (verdict === false) {
      throw usageError(`not an audio file: ${audioPath} (ffprobe found no audio stream; ${CONVERT_HINT})`);
    }
  }
  if (!(await hasWavHeader(audioPath))) {
    throw usageError(`not a WAV file: ${audioPath} (no RIFF/WAVE header, and ffprobe could not check other formats; ${CONVERT_HINT})`);
  }
}

async function checkFileReadable(audioPath: string): Promise<void> {
  let info: Stats;
  try {
    info = await stat(audioPath);
    await access(audioPath, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw usageError(`audio file not found: ${audioPath} (pass --audio PATH to an existing 16 kHz WAV)`);
    }
    throw usageError(`audio file not readable: ${audioPath} (${code}; check its permissions, e.g. chmod a+r)`);
  }
  if (!info.isFile()) {
    throw usageError(`audio path is not a file: ${audioPath} (pass --audio PATH to a 16 kHz WAV file)`);
  }
  if (info.size === 0) {
    throw usageError(`audio file is empty: ${audioPath} (0 bytes; pass --audio PATH to a non-empty 16 kHz WAV)`);
  }
}

/** true: has an audio stream; false: ffprobe rejected the file; null: ffprobe itself failed to run. */
function probeHasAudioStream(ffprobe: string, audioPath: string, env: NodeJS.ProcessEnv): Promise<boolean | null> {
  const args = ['-v', 'error', '-select_streams', 'a', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', audioPath];
  return new Promise((resolve) => {
    execFile(ffprobe, args, { env, timeout: PROBE_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout) => {
      if (error === null) {
        resolve(stdout.split(/\s+/).includes('audio'));
        return;
      }
      // A numeric exit code means ffprobe ran and could not read the file as media.
      resolve(typeof error.code === 'number' && !error.killed ? false : null);
    });
  });
}

async function hasWavHeader(audioPath: string): Promise<boolean> {
  const file = await open(audioPath, 'r');
  try {
    const header = Buffer.alloc(12);
    const { bytesRead } = await file.read(header, 0, 12, 0);
    return bytesRead === 12 && header.toString('latin1', 0, 4) === 'RIFF' && header.toString('latin1', 8, 12) === 'WAVE';
  } finally {
    await file.close();
  }
}
