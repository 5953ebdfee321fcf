import type { ReporterIO } from '../report/reporters.js';
import { untrustedText } from '../untrustedText.js';

/** Where a command writes: human text goes to `log` (stderr under --json), data to `out`. */
export interface CommandIO {
  out: (text: string) => void;
  log: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** One `leakgate <name>` sub-command; the CLI keeps them in a registry (src/cli/commands.ts). */
export interface Command {
  name: string;
  /** One line for `leakgate --help`. */
  summary: string;
  /** Full usage text for `leakgate <name> --help`. */
  usage: string;
  /** Runs the command and resolves to the process exit code; throws LeakgateError for user errors. */
  run(argv: string[], io: CommandIO): Promise<number>;
}

/**
 * A command's streams as reporters see them: with --json the human lines go to stderr and stdout
 * carries the JSON alone. `name` prefixes the closing error line ("leakgate run: ...").
 */
export function reporterIO(io: CommandIO, name: string, json: boolean, tty = false): ReporterIO {
  const human = json ? io.log : io.out;
  return {
    log: (text) => human(`${text}\n`),
    // The closing error quotes the engine's stderr and names files: one line, whatever they hold.
    error: (text) => io.log(`leakgate ${name}: ${untrustedText(text)}\n`),
    write: human,
    out: io.out,
    tty: !json && tty,
    env: io.env,
    cwd: io.cwd,
  };
}
