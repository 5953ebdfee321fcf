import { ExitCode, type ExitCodeValue } from '../errors.js';
import type { FfmpegInfo } from '../ffmpeg/FfmpegChoice.js';
import type { Attribution } from './Attribution.js';
import type { NativeFrame } from './NativeFrame.js';
import type { EngineStep, PhaseName, ProbeSample } from './ProbeSample.js';

// The seed's mem_baseline/mem_end of an iteration are its first record's beforeLoad and last record's afterUnload.

/** What an unload left behind: fd targets and thread names present after it that were not before the load. */
export interface LeftBehind {
  fds: string[];
  threads: string[];
}

/** How one model was measured in one iteration. */
export interface ModelIteration {
  /** 1-based iteration number. */
  iteration: number;
  /** Key of the model in RunResults.models. */
  modelKey: string;
  phases: Record<PhaseName, ProbeSample>;
  /** How the model was released after inference: destroyed (switch, recreate) or restarted (restart scenario). */
  unloadStep: 'destroy' | 'restart';
  /** fd targets and thread names present after the unload that were not before the load (absent in older files). */
  leftBehind?: LeftBehind;
  loadMs: number;
  inferMs: number;
  unloadMs: number;
  /** From the user_input call to the first transcript character, timestamped inside the print callback. */
  ttftMs: number | null;
  /** Transcript characters (spaces excluded) over the time from first to last chunk. */
  charsPerSecond: number | null;
  /** Text as the engine streamed it (type-0 chunks joined). */
  rawOutput: string;
  /** Language the engine announced (`language Chinese<asr_text>`), null when it announced none. */
  language: string | null;
  /** Transcript after marker extraction and OpenCC s2twp (the seed's transcript_zh_tw). */
  transcriptZhTw: string;
  /** transcriptZhTw after inverse text normalisation of Chinese numerals (the seed's itn_result, scored). */
  transcript: string;
  /** Character edit distance against the truth, in percent, as the seed's "WER (%)"; null without truth. */
  werPercent: number | null;
}

export interface ModelInfo {
  key: string;
  /** Short label for tables, e.g. "0.6B". */
  label: string;
  path: string;
  sizeBytes: number;
  /** First 16 hex digits of the file's sha256. */
  sha256Prefix: string;
  /** What produced the file: a reference-engine model, a twin, or a real model. */
  kind: 'reference' | 'twin' | 'model';
}

export interface EngineInfo {
  path: string;
  sha256: string;
  /** True for leakgate's reference engine (the test oracle), false for a real libchatllm. */
  reference: boolean;
  /** chatllm.cpp commit, when known (submodule pin or CHATLLM_COMMIT). */
  chatllmCommit: string | null;
  /** Patches applied to the source before the build, in order (from BUILD_INFO.json beside the library); absent when none. */
  patches?: EnginePatch[];
  /** The allocation ledger that counted the engine's own memory in the worker; null or absent without one. */
  ledger?: LedgerInfo | null;
}

/** How the engine's own memory was counted: native/ledger preloaded in the worker, armed on the engine's code. */
export interface LedgerInfo {
  /** Executable segments of the engine's modules (libchatllm, libggml*) whose calls were counted. */
  engineSegments: number;
  /** M_MMAP_THRESHOLD the ledger itself pinned (LEAKGATE_LEDGER_PIN_MMAP=1), 0 when not: the worker's pin is config.mmapThresholdBytes. */
  mmapThresholdBytes: number;
}

/** One patch applied to the engine source, as BUILD_INFO.json records it. */
export interface EnginePatch {
  /** File name, e.g. "0001-fix-destroy.diff". */
  name: string;
  sha256: string;
}

/** Why a run ended early. */
export interface RunFailure {
  /**
   * interrupted: Ctrl-C (SIGINT); terminated: SIGTERM or SIGHUP (a cancelled CI job, a closed terminal);
   * write-failed: the results file could not be written (disk full, read-only), so the run stopped;
   * out-of-memory: the kernel's OOM killer killed the worker (its cgroup's oom_kill count rose);
   * killed: the worker was killed by a SIGKILL leakgate did not send and no cgroup counted as an OOM
   * kill (the OOM killer if memory ran out, or another process): the machine's, never the engine's.
   */
  kind: 'crash' | 'hang' | 'engine-error' | 'interrupted' | 'terminated' | 'write-failed' | 'out-of-memory' | 'killed' | 'unload-check';
  modelKey: string | null;
  iteration: number;
  step: EngineStep | null;
  /** Signal name for a crash (SIGABRT, SIGSEGV) or what stopped the run (SIGINT, SIGTERM, SIGHUP). */
  signal: string | null;
  timeoutMs: number | null;
  message: string;
  /**
   * What the failed switch measured before it failed (phases sampled so far, output so far); the results file's key keeps its first name.
   */
  partialCycle?: { phases: Partial<Record<PhaseName, ProbeSample>>; rawOutput: string | null };
  /** For a crash: the crashing thread's native stack, innermost first, when the crash handler caught it. */
  nativeStack?: NativeFrame[];
}

/**
 * The machine stopped the run, not the engine: a results write that failed, an out-of-memory kill, a
 * SIGKILL from outside. Exit 4 (the environment); never accepted as a known failure.
 */
export function isMachineFailure(failure: RunFailure | null): boolean {
  return failure?.kind === 'write-failed' || failure?.kind === 'out-of-memory' || failure?.kind === 'killed';
}

/**
 * A run stopped by a signal, the user's or the system's (Ctrl-C, SIGTERM, SIGHUP): its exit code, 128 +
 * the signal's number (130, 143, 129); null for any other end.
 */
export function signalStopExitCode(failure: RunFailure | null): ExitCodeValue | null {
  if (failure?.kind === 'interrupted') return ExitCode.interrupted;
  if (failure?.kind === 'terminated') return failure.signal === 'SIGHUP' ? ExitCode.hangup : ExitCode.terminated;
  return null;
}

/** A --fail-fast stop: the run stopped on a finding (something an unload left behind), not on a failure. */
export function isFailFastStop(failure: RunFailure | null): boolean {
  return failure?.kind === 'unload-check';
}

/**
 * The failure that can be held against the engine: accepted as known in a baseline, compared between
 * engines, judged by the gate. Neither a --fail-fast stop (a finding) nor Ctrl-C (the user) is one.
 */
export function engineFailureOf(failure: RunFailure | null): EngineFailure | null {
  return failure && failure.kind !== 'interrupted' && failure.kind !== 'unload-check' ? (failure as EngineFailure) : null;
}

export type EngineFailure = RunFailure & { kind: Exclude<RunFailure['kind'], 'interrupted' | 'unload-check'> };

/**
 * How a run's length is chosen: `fixed` (--iterations N, ITERATIONS), or `until-decided`: it stops once
 * every verdict (each model, the process, every count) is decided and has held for `confirmIterations`
 * iterations in a row, at the latest after `maxIterations`.
 */
export interface StopRule {
  rule: 'fixed' | 'until-decided';
  /** The fixed length, or the most iterations an until-decided run does. */
  maxIterations: number;
  /** Iterations in a row the decided verdicts must hold before the run stops; null for a fixed length. */
  confirmIterations: number | null;
}

/** The stop rule and, once the run ended, why it stopped ("decided after 6 iterations: 0.6B leak, 1.7B leak"). */
export interface RunStopping extends StopRule {
  reason: string | null;
  /**
   * Iterations in a row the decided verdicts had held when the run stopped: below confirmIterations when
   * it reached maxIterations first (not confirmed, no pass). Null while running or undecided; absent in older files.
   */
  heldIterations?: number | null;
}

export type RunStatus = 'running' | 'complete' | 'failed';

export interface RunResults {
  leakgateVersion: string;
  scenario: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  failure: RunFailure | null;
  /**
   * The iterations the run was to do: --iterations N, or, stopping when decided, the maximum until it decides (then the iterations done).
   */
  iterationsPlanned: number;
  /** How the run's length was chosen, and why it stopped (absent in older files: a fixed length). */
  stopping?: RunStopping;
  config: {
    threads: number;
    contextLength: number;
    language: string;
    audioPath: string;
    truth: string | null;
    trim: boolean;
    /** glibc's M_MMAP_THRESHOLD pinned in the worker; null: left dynamic; absent in older files (dynamic). */
    mmapThresholdBytes?: number | null;
    engineParams: string[];
  };
  engine: EngineInfo;
  /** The ffmpeg chatllm.cpp ran (its folder first on the worker's PATH); null when there was none. Absent in older files. */
  ffmpeg?: FfmpegInfo | null;
  models: ModelInfo[];
  /** Every model in every iteration, in the order measured. */
  records: ModelIteration[];
  /** The allocation sites that grow per switch, when `run --attribute` found a leak and attributed it. */
  attribution?: Attribution;
  /** malloc_trim(0) once after the last switch, and the memory around it; absent when not measured. */
  trimProbe?: TrimProbe | null;
}

/** Anonymous memory by owner at one moment (see ProbeSample for each field). */
export interface TrimProbeSample {
  rssAnonBytes: number;
  heapInUseBytes: number | null;
  mallocArenaBytes: number | null;
  mallocMmappedBytes: number | null;
  outsideMallocBytes: number | null;
}

/** What malloc_trim(0) gave back at the end of a run: the memory just before and just after it. */
export interface TrimProbe {
  before: TrimProbeSample;
  after: TrimProbeSample;
  trimMs: number;
}
