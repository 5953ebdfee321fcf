import { untrustedText } from './untrustedText.js';

/**
 * Where leakgate writes and what it runs in: the one IO that commands, pipelines and reporters take.
 * Human text (`log`, `write`) goes to stdout, or to stderr under --json (`jsonIO`), when stdout
 * carries the JSON (`out`) alone.
 */
export interface LeakgateIO {
  /** One line of the human report (the newline is added). */
  log: (text: string) => void;
  /** Part of a line of the human report: the progress line, redrawn in place on a terminal. */
  write: (text: string) => void;
  /** One line on stderr: the closing error of a command or a run (the newline is added). */
  error: (text: string) => void;
  /** stdout as given: machine-readable output (JSON), help text. */
  out: (text: string) => void;
  /** The human report goes to a terminal: the progress line redraws itself instead of printing lines. */
  tty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Stops a run (Ctrl-C, SIGTERM): what was measured is kept, the failure recorded. */
  signal?: AbortSignal;
}

/**
 * The IO under --json: the human report goes to stderr, line by line (without a terminal the progress
 * line writes whole lines), and stdout carries the JSON alone.
 */
export function jsonIO(io: LeakgateIO): LeakgateIO {
  return { ...io, log: io.error, write: (text) => io.error(text.replace(/\n$/, '')), tty: false };
}

/** The IO of `leakgate <name>`: its closing error line names the command ("leakgate run: ..."). */
export function commandIO(io: LeakgateIO, name: string): LeakgateIO {
  // The closing error quotes the engine's stderr and names files: one line, whatever they hold.
  return { ...io, error: (text) => io.error(`leakgate ${name}: ${untrustedText(text)}`) };
}
