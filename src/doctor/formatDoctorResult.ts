import type { DoctorResult } from './DoctorResult.js';
import { untrustedText } from '../untrustedText.js';

/** Width of the check-name column: the longest registered name ("engine", "ffmpeg", "memory"). */
const CHECK_COLUMN = 7;

/** One aligned line, e.g. `FAIL  ffmpeg   ffmpeg not found on PATH: ... (fix: apt-get install ffmpeg)`. */
export function formatDoctorResult(result: DoctorResult): string {
  const fix = result.fix === null ? '' : ` (fix: ${result.fix})`;
  // The detail names files and quotes tools' output: one line, whatever they hold.
  return `${result.status.padEnd(4)}  ${result.check.padEnd(CHECK_COLUMN)}  ${untrustedText(result.detail)}${untrustedText(fix)}`;
}
