import { ExitCode, type ExitCodeValue } from '../errors.js';
import type { DoctorResult } from './DoctorResult.js';

/** 0 when nothing FAILed, else the exit code of the first FAIL (2 usage, 4 environment). */
export function doctorExitCode(results: readonly DoctorResult[]): ExitCodeValue {
  return results.find((result) => result.status === 'FAIL')?.exitCode ?? ExitCode.ok;
}
