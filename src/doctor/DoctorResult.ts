import { ExitCode, type ExitCodeValue, type LeakgateError } from '../errors.js';

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
