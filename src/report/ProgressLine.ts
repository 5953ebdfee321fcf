import type { ModelIteration } from '../results/RunResults.js';
import { MIB } from '../units.js';

/** Without a TTY, a progress line at most this often (CI logs stay short). */
const PLAIN_INTERVAL_MS = 10_000;

/** The compact progress line (with ETA) printed when not verbose. */
export class ProgressLine {
  private readonly startedMs = Date.now();
  private lastPlainMs = 0;
  private open = false;

  constructor(
    private readonly totalSwitches: number,
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
  ) {}

  update(record: ModelIteration, label: string, switchesDone: number, iterations: number): void {
    const elapsedMs = Date.now() - this.startedMs;
    const etaMs = (elapsedMs / switchesDone) * (this.totalSwitches - switchesDone);
    const heap = record.phases.afterUnload.heapInUseBytes;
    const text =
      `  Iteration ${record.iteration}/${iterations} [${label}] - Mem: ${(record.phases.afterUnload.rssBytes / MIB).toFixed(0)}MB` +
      (heap === null ? '' : `, heap ${(heap / MIB).toFixed(1)}MB`) +
      ` - ETA ${formatDuration(etaMs)}`;
    if (this.tty) {
      this.write(`\r${text.padEnd(78)}`);
      this.open = true;
      // The last switch ends the line: what follows (an attribution's progress, the summary) starts on its own.
      if (switchesDone === this.totalSwitches) this.finish();
    } else if (switchesDone === this.totalSwitches || Date.now() - this.lastPlainMs >= PLAIN_INTERVAL_MS) {
      this.lastPlainMs = Date.now();
      this.write(`${text}\n`);
    }
  }

  /** Ends the TTY line, if one is open, so the next output starts on a new one. */
  finish(): void {
    if (this.open) this.write('\n');
    this.open = false;
  }
}

/** "1m05s", "42s" */
function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}
