import type { FfmpegChoice } from '../ffmpeg/FfmpegChoice.js';
import type { NamedPath } from '../files/outputFile.js';
import type { ModelInfo, StopRule } from '../results/RunResults.js';

/** Timeouts of one model's phases, in ms. */
export interface PhaseTimeoutsMs {
  load: number;
  infer: number;
  unload: number;
}

/** RunOptions after defaults, environment and validation: every field concrete. */
export interface RunConfig {
  libraryPath: string;
  /** True when libraryPath is leakgate's reference engine (the test oracle). */
  referenceEngine: boolean;
  models: (ModelInfo & { timeoutsMs: PhaseTimeoutsMs })[];
  /** Iterations to run: the fixed length, or the most an until-decided run does (stopRule.maxIterations). */
  iterations: number;
  /** Fixed length, or until every verdict is decided (no --iterations, no ITERATIONS). */
  stopRule: StopRule;
  scenario: string;
  audioPath: string;
  /** The ffmpeg chatllm.cpp will run, or why there is none (which stops only a real engine's run). */
  ffmpeg: FfmpegChoice;
  /**
   * The worker process's whole environment: the run's (the one the configuration was resolved from,
   * e.g. a test's `testRunIO(cwd, env)`), never the host process's, with ffmpeg's folder first on PATH.
   */
  workerEnv: NodeJS.ProcessEnv;
  truth: string | null;
  threads: number;
  contextLength: number;
  language: string;
  trim: boolean;
  /** glibc's M_MMAP_THRESHOLD pinned in the worker; null: left dynamic (--dynamic-mmap-threshold). */
  mmapThresholdBytes: number | null;
  failFast: boolean;
  outPath: string;
  /** Cap on generated tokens per transcription (twins: what the real model would write, see twinGenMaxTokens). */
  genMaxTokens: number;
  verbose: boolean;
  /** Where each resolved value came from, for the report header (e.g. "generated reference models"). */
  notes: string[];
  /** Every file the run reads (library, models, audio, truth, ffmpeg): nothing it writes may be one of them. */
  inputs: NamedPath[];
}
