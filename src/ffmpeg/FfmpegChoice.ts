import type { LeakgateError } from '../errors.js';

/** Where the ffmpeg came from, in the order they are tried. */
export type FfmpegSource = '--ffmpeg' | 'LEAKGATE_FFMPEG' | 'PATH' | 'packaged';

/** The ffmpeg a run uses, as its results record it. */
export interface FfmpegInfo {
  /** Absolute path of the executable; its folder goes first on the worker's PATH. */
  path: string;
  source: FfmpegSource;
  /** The word after "ffmpeg version" in `ffmpeg -version`, e.g. "N-47683-g0e8eb07980-static". */
  version: string;
}

/**
 * The outcome of resolveFfmpeg: the ffmpeg found, or why there is none. Not thrown at once: the
 * reference engine decodes no audio, so only a real engine's run turns the error into a failure.
 */
export type FfmpegChoice = { found: FfmpegInfo; error: null } | { found: null; error: LeakgateError };
