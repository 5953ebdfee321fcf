import { COMMANDS } from './commands.js';
import { ExitCode, LeakgateError } from '../errors.js';
import { fileSystemError } from '../files/fileSystemError.js';
import { LEAKGATE_VERSION } from '../leakgatePackage.js';
import type { LeakgateIO } from '../LeakgateIO.js';
import { commandSafeWriter } from '../report/commandSafeWriter.js';
import { untrustedText } from '../untrustedText.js';

function help(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    `leakgate ${LEAKGATE_VERSION}: memory-leak regression gate for chatllm.cpp (libchatllm)`,
    '',
    'Usage: leakgate <command> [options]     (leakgate <command> --help for its options)',
    '',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Exit codes:',
    ...EXIT_CODE_MEANINGS.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`),
    '',
    'Errors are one line on stderr naming the problem and the fix; --debug adds the stack trace.',
    '',
  ].join('\n');
}

/** The README's exit-code table, word for word (a test keeps the two in step). */
const EXIT_CODE_MEANINGS: [number, string][] = [
  [ExitCode.ok, 'pass'],
  [ExitCode.gateFailed, 'gate failed: leak or regression'],
  [ExitCode.usage, 'usage or configuration error (bad flag, missing file, bad baseline)'],
  [ExitCode.engineFailure, 'engine failure: crash, hang or engine error (results so far are kept)'],
  [ExitCode.environment, 'environment problem: no ffmpeg, library not loadable, no compiler'],
  [ExitCode.internal, 'a bug in leakgate (rerun with --debug and report it)'],
  [ExitCode.hangup, 'hung up (SIGHUP): recorded as terminated (results so far are kept; gate fails the file)'],
  [ExitCode.interrupted, 'interrupted (results so far are kept)'],
  [
    ExitCode.terminated,
    'terminated (SIGTERM, e.g. a cancelled CI job): recorded as terminated (results so far are kept; gate fails the file)',
  ],
];

/** Runs one CLI invocation and resolves to its exit code; errors become one line on stderr. */
export async function main(argv: string[], given: LeakgateIO): Promise<number> {
  // Names and engine output reach both streams: no line of them may be a GitHub Actions command.
  const io = commandSafeIO(given);
  const debug = argv.includes('--debug');
  const args = argv.filter((arg) => arg !== '--debug');
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version') {
    io.out(`${LEAKGATE_VERSION}\n`);
    return ExitCode.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.error(`leakgate: unknown command "${name}" (run leakgate --help for the list)`);
    return ExitCode.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.usage}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (thrown) {
    // A file-system error no command foresaw (disk full, read-only, permissions) is the machine's or the
    // path's, not a leakgate bug: exit 2 or 4 with the path and the fix.
    const error = fileSystemError(thrown, 'cannot use');
    if (error instanceof LeakgateError) {
      io.error(`leakgate ${command.name}: ${untrustedText(error.message)}`);
      if (debug) io.error(`${error.stack}`);
      return error.exitCode;
    }
    if (isParseArgsError(error)) {
      // node:util parseArgs explains over several lines; errors here are one line.
      const message = (error as Error).message
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .join(' ');
      io.error(`leakgate ${command.name}: ${message} (see leakgate ${command.name} --help)`);
      return ExitCode.usage;
    }
    io.error(
      `leakgate ${command.name}: internal error: ${untrustedText(String((error as Error)?.message ?? error).split('\n')[0]!)}` +
        (debug ? `\n${(error as Error)?.stack}` : ' (rerun with --debug for the stack trace and report it)'),
    );
    return ExitCode.internal;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  return code.startsWith('ERR_PARSE_ARGS');
}

/**
 * The IO with no output line a GitHub Actions workflow command (see commandSafeWriter): `log` and
 * `error` print whole lines, each from the head of a line; `write` and `out` keep their line state.
 */
function commandSafeIO(io: LeakgateIO): LeakgateIO {
  const wholeLines =
    (emit: (text: string) => void) =>
    (text: string): void =>
      commandSafeWriter(emit)(text);
  return {
    ...io,
    log: wholeLines(io.log),
    error: wholeLines(io.error),
    write: commandSafeWriter(io.write),
    out: commandSafeWriter(io.out),
  };
}
