import { ExitCode, type ExitCodeValue } from './exitCodes.js';

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
export const environmentError = (message: string): LeakgateError =>
  new LeakgateError(message, ExitCode.environment);
/** The engine crashed, hung or failed (exit 3). */
export const engineError = (message: string): LeakgateError => new LeakgateError(message, ExitCode.engineFailure);
