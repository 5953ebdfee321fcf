import type { LeakgateIO } from '../LeakgateIO.js';

/** One `leakgate <name>` sub-command; the CLI keeps them in a registry (src/cli/commands.ts). */
export interface Command {
  name: string;
  /** One line for `leakgate --help`. */
  summary: string;
  /** Full usage text for `leakgate <name> --help`. */
  usage: string;
  /** Runs the command and resolves to the process exit code; throws LeakgateError for user errors. */
  run(argv: string[], io: LeakgateIO): Promise<number>;
}
