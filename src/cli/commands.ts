import type { Command } from './Command.js';
import { runCommand } from './commands/run.js';
import { makeRefModelCommand } from './commands/makeRefModel.js';

/** Every `leakgate <command>`, in the order --help lists them. */
export const COMMANDS: readonly Command[] = [runCommand, makeRefModelCommand];
