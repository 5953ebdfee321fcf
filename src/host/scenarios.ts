import type { RunConfig } from '../config/RunConfig.js';
import { usageError } from '../errors.js';
import type { SwitchSteps } from './measureSwitch.js';

type Model = RunConfig['models'][number];

/** A way of switching models; the runner measures each switch it plans. */
export interface Scenario {
  name: string;
  /** One line for --help and the report header. */
  description: string;
  /** Throws a usage error when the model list does not fit the scenario. */
  validate(models: readonly Model[]): void;
  /** The switches of one iteration, in order. */
  plan(models: readonly Model[], iteration: number, iterations: number): { model: Model; steps: SwitchSteps }[];
  /** Models still loaded when the last iteration ends (destroyed, unmeasured, before the worker exits). */
  leftLoaded(models: readonly Model[]): Model[];
}

/** The seed's exp3: every iteration loads, uses and destroys each model in turn. */
const switchScenario: Scenario = {
  name: 'switch',
  description: "load -> transcribe -> destroy each model in turn, every iteration (the seed's exp3)",
  validate(models) {
    if (models.length < 1) throw usageError('the switch scenario needs at least one --model');
  },
  plan: (models) => models.map((model) => ({ model, steps: { load: true, unload: 'destroy' } })),
  leftLoaded: () => [],
};

/** The seed's exp2, method 1: one model, destroyed and created again every iteration. */
const recreateScenario: Scenario = {
  name: 'recreate',
  description: "one model: create -> transcribe -> destroy every iteration (the seed's exp2, method 1)",
  validate: exactlyOneModel('recreate'),
  plan: (models) => [{ model: models[0]!, steps: { load: true, unload: 'destroy' } }],
  leftLoaded: () => [],
};

/** The seed's exp2, method 2: one model loaded once, chatllm_restart between transcriptions. */
const restartScenario: Scenario = {
  name: 'restart',
  description: "one model loaded once: transcribe -> chatllm_restart every iteration (the seed's exp2, method 2)",
  validate: exactlyOneModel('restart'),
  plan: (models, iteration) => [{ model: models[0]!, steps: { load: iteration === 1, unload: 'restart' } }],
  leftLoaded: (models) => [models[0]!],
};

/** Every scenario `--scenario` accepts. */
export const SCENARIOS: readonly Scenario[] = [switchScenario, recreateScenario, restartScenario];

/** The scenario named by --scenario; a usage error listing the names otherwise. */
export function findScenario(name: string): Scenario {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (!scenario) {
    throw usageError(`unknown scenario: ${name} (use --scenario ${SCENARIOS.map((s) => s.name).join('|')})`);
  }
  return scenario;
}

function exactlyOneModel(scenario: string): Scenario['validate'] {
  return (models) => {
    if (models.length !== 1) throw usageError(`the ${scenario} scenario takes exactly one --model, got ${models.length}`);
  };
}
