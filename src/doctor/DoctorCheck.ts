/**
 * What a doctor check is: the configuration it looks at, the lines it returns, and how a line prints.
 * The checks themselves are one file each in checks/, listed in DOCTOR_CHECKS (doctor.ts).
 */
import type { FfmpegChoice } from '../ffmpeg/FfmpegChoice.js';
import { ExitCode, type ExitCodeValue, type LeakgateError } from '../errors.js';
import { untrustedText } from '../untrustedText.js';

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

/** `ok` passes, `warn` passes with a caveat, `FAIL` stops a run. */
export type DoctorStatus = 'ok' | 'warn' | 'FAIL';

/** One line of `leakgate doctor`: what a check found, and how to fix it when it is not ok. */
export interface DoctorResult {
  /** Short name of the check, e.g. "engine", "ffmpeg", "model". */
  check: string;
  status: DoctorStatus;
  /** What was found, one line (for a LeakgateError, its message, which already names the fix). */
  detail: string;
  /** The fix, when `detail` does not carry one. */
  fix: string | null;
  /** The exit code a FAIL maps to (2 usage, 4 environment); 0 for ok and warn. */
  exitCode: ExitCodeValue;
}

/** Constructors of DoctorResult, so every check builds its lines the same way. */
export const DoctorResult = {
  ok(check: string, detail: string): DoctorResult {
    return { check, status: 'ok', detail, fix: null, exitCode: ExitCode.ok };
  },
  warn(check: string, detail: string, fix: string | null): DoctorResult {
    return { check, status: 'warn', detail, fix, exitCode: ExitCode.ok };
  },
  fail(check: string, detail: string, fix: string | null, exitCode: ExitCodeValue): DoctorResult {
    return { check, status: 'FAIL', detail, fix, exitCode };
  },
  /** A LeakgateError as a FAIL line: its message already names the thing and the fix. */
  fromError(check: string, error: LeakgateError): DoctorResult {
    return { check, status: 'FAIL', detail: error.message, fix: null, exitCode: error.exitCode };
  },
};

/** One entry of the doctor registry (src/doctor/doctorChecks.ts). */
export interface DoctorCheck {
  name: string;
  /**
   * Returns one result per thing checked (the model check returns one per model). Throws only on a
   * leakgate bug: problems with the machine or the configuration are FAIL results.
   */
  run(config: DoctorConfig, env: NodeJS.ProcessEnv): Promise<DoctorResult[]>;
}

/** Width of the check-name column: the longest registered name ("engine", "ffmpeg", "memory"). */
const CHECK_COLUMN = 7;

/** One aligned line, e.g. `FAIL  ffmpeg   ffmpeg not found on PATH: ... (fix: apt-get install ffmpeg)`. */
export function formatDoctorResult(result: DoctorResult): string {
  const fix = result.fix === null ? '' : ` (fix: ${result.fix})`;
  // The detail names files and quotes tools' output: one line, whatever they hold.
  return `${result.status.padEnd(4)}  ${result.check.padEnd(CHECK_COLUMN)}  ${untrustedText(result.detail)}${untrustedText(fix)}`;
}

/** 0 when nothing FAILed, else the exit code of the first FAIL (2 usage, 4 environment). */
export function doctorExitCode(results: readonly DoctorResult[]): ExitCodeValue {
  return results.find((result) => result.status === 'FAIL')?.exitCode ?? ExitCode.ok;
}
