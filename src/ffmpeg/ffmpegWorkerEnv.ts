import { delimiter, dirname } from 'node:path';
import type { FfmpegChoice } from './FfmpegChoice.js';

/**
 * What the worker's environment needs so chatllm.cpp, which runs `ffmpeg` by name, runs the one
 * leakgate chose: its folder first on PATH. Empty without an ffmpeg.
 */
export function ffmpegWorkerEnv(choice: FfmpegChoice, env: NodeJS.ProcessEnv): Record<string, string> {
  if (choice.found === null) return {};
  return { PATH: [dirname(choice.found.path), env.PATH].filter(Boolean).join(delimiter) };
}
