/** What a user may set for `leakgate run` (flags, environment, or the vitest gate). All optional. */
export interface RunOptions {
  /** libchatllm to drive. @default $LIBCHATLLM, else native/build's libchatllm when real models are set, else the reference engine */
  lib?: string;
  /**
   * Model files in switching order.
   * @default $LEAKGATE_MODELS (comma-separated), else models/qwen3-asr-{0.6b,1.7b}-q4_0.bin when both exist, else two generated
   *   reference models
   */
  models?: string[];
  /**
   * Iterations (each switches through every model once): a fixed length.
   * @default $ITERATIONS, else until every verdict is decided, at most maxIterations
   */
  iterations?: number;
  /** The most iterations a run without a fixed length does before it stops undecided. @default 100 */
  maxIterations?: number;
  /** Scenario name from the scenario registry. @default "switch" */
  scenario?: string;
  /**
   * ffmpeg for chatllm.cpp to decode audio with (a file called ffmpeg).
   * @default $LEAKGATE_FFMPEG, else ffmpeg on PATH, else the one npm install brings (@ffmpeg-installer/ffmpeg)
   */
  ffmpeg?: string;
  /** Audio to transcribe. @default fixtures/audio/phone-zh.wav */
  audio?: string;
  /** Ground truth text, or a path to a .txt holding it. @default the .txt beside the audio, when there is one */
  truth?: string;
  /** Inference threads (`-n`). @default $INFERENCE_THREADS, else 6 */
  threads?: number;
  /** Context length (`-c`). @default $CONTEXT_LENGTH, else 4096 */
  context?: number;
  /** ASR language (`--set language`). @default $ASR_LANGUAGE, else "Chinese" */
  language?: string;
  /**
   * Stop the run at the first unload that leaves an fd, a thread or a model mapping behind.
   * @default false: counts are judged as series after the run
   */
  failFast?: boolean;
  /** Call malloc_trim(0) after each unload. @default false */
  trim?: boolean;
  /**
   * Leave glibc's mmap threshold dynamic in the worker, as in a default process. By default it is pinned
   * at glibc's initial 128 KiB, so every load finds the allocator as the first one did (see MMAP_THRESHOLD_BYTES).
   * @default false
   */
  dynamicMmapThreshold?: boolean;
  /** Results JSON path. @default results/model_switch_results.json */
  out?: string;
  /**
   * Cap on generated tokens per transcription.
   * @default 256; for twins (random weights, which never end their text), what the real model writes for the truth (twinGenMaxTokens)
   */
  genMaxTokens?: number;
  /** Multiplies every phase timeout, from 0.01 to 1000. @default 1 */
  timeoutScale?: number;
  /** Print the seed's per-iteration blocks instead of a progress line. @default false */
  verbose?: boolean;
}
