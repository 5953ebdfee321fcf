import type { Command } from './Command.js';
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

/** Every `leakgate <command>`, in the order --help lists them. */
export const COMMANDS: readonly Command[] = [runCommand, compareCommand, analyzeCommand, gateCommand, reportCommand, attributeCommand, baselineCommand, doctorCommand, makeRefModelCommand, twinCommand];
