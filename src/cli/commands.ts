import type { LeakgateIO } from '../LeakgateIO.js';
import { attributeCommand } from './commands/attribute.js';
import { analyzeCommand } from './commands/analyze.js';
import { compareCommand } from './commands/compare.js';
import { doctorCommand } from './commands/doctor.js';
import { baselineCommand } from './commands/baseline.js';
import { gateCommand } from './commands/gate.js';
import { makeRefModelCommand } from './commands/makeRefModel.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { twinCommand } from './commands/twin.js';

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

/** Every `leakgate <command>`, in the order --help lists them. */
export const COMMANDS: readonly Command[] = [
  runCommand,
  compareCommand,
  analyzeCommand,
  gateCommand,
  reportCommand,
  attributeCommand,
  baselineCommand,
  doctorCommand,
  makeRefModelCommand,
  twinCommand,
];
