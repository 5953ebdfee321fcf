import { usageError } from '../../errors.js';
import { recreateScenario } from './recreateScenario.js';
import { restartScenario } from './restartScenario.js';
import type { Scenario } from './Scenario.js';
import { switchScenario } from './switchScenario.js';

/** Every scenario `--scenario` accepts. */
export const SCENARIOS: readonly Scenario[] = [switchScenario, recreateScenario, restartScenario];

export function findScenario(name: string): Scenario {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (!scenario) {
    throw usageError(`unknown scenario: ${name} (use --scenario ${SCENARIOS.map((s) => s.name).join('|')})`);
  }
  return scenario;
}
