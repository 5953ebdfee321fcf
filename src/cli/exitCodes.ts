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
  /** Interrupted by the user (SIGINT); results so far are kept. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
