import type { FfmpegChoice } from '../ffmpeg/FfmpegChoice.js';

/**
 * What the checks look at. A RunConfig satisfies it, so `run` and the gate can pass theirs as is;
 * `doctor` builds one even when the configuration does not resolve (a missing model is a FAIL line,
 * not an exception).
 */
export interface DoctorConfig {
  libraryPath: string;
  /** True when libraryPath is leakgate's reference engine. */
  referenceEngine: boolean;
  models: readonly { path: string }[];
  audioPath: string;
  /** The ffmpeg chatllm.cpp would run, or why there is none. */
  ffmpeg: FfmpegChoice;
}
