/**
 * Errors the user can act on and the exit codes they map to: the bottom of the house, imported by
 * every layer and importing nothing of leakgate.
 */
/** Process exit codes, documented in the README and `leakgate --help`. */
export const ExitCode = {
  /** Everything passed. */
  ok: 0,
  /** The gate failed: a leak verdict, a failed unload check or a regression past tolerance. */
  gateFailed: 1,
  /** Bad command line, option, file or baseline: the user can fix it and rerun. */
  usage: 2,
  /** The engine crashed, hung or reported an error. */
  engineFailure: 3,
  /** The environment lacks something: no ffmpeg, library not loadable, no compiler. */
  environment: 4,
  /** A bug in leakgate itself (the message asks for --debug and a report). */
  internal: 5,
  /** Hung up (SIGHUP: the terminal closed): 128 + 1, recorded as terminated; results so far are kept. */
  hangup: 129,
  /** Interrupted by the user (SIGINT); results so far are kept. */
  interrupted: 130,
  /** Terminated (SIGTERM: a cancelled CI job): 128 + 15, recorded as terminated; results so far are kept. */
  terminated: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the user can act on. The message is one line that names the thing and the fix;
 * the CLI prints it without a stack trace (the stack is shown only with --debug).
 */
export class LeakgateError extends Error {
  override readonly name = 'LeakgateError';
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.usage,
  ) {
    super(message);
  }
}

/** A bad flag, option, file or baseline (exit 2). */
export const usageError = (message: string): LeakgateError => new LeakgateError(message, ExitCode.usage);
/** Something missing from the machine: ffmpeg, a loadable library, a compiler (exit 4). */
export const environmentError = (message: string): LeakgateError => new LeakgateError(message, ExitCode.environment);
/** The engine crashed, hung or failed (exit 3). */
export const engineError = (message: string): LeakgateError => new LeakgateError(message, ExitCode.engineFailure);
