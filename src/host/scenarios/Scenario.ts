import type { RunConfig } from '../../config/RunConfig.js';
import type { CycleSteps } from '../measureCycle.js';

type Model = RunConfig['models'][number];

/** A way of cycling models; the runner measures each cycle it plans. */
export interface Scenario {
  name: string;
  /** One line for --help and the report header. */
  description: string;
  /** Throws a usage error when the model list does not fit the scenario. */
  validate(models: readonly Model[]): void;
  /** The cycles of one iteration, in order. */
  plan(models: readonly Model[], iteration: number, iterations: number): { model: Model; steps: CycleSteps }[];
  /** Models still loaded when the last iteration ends (destroyed, unmeasured, before the worker exits). */
  leftLoaded(models: readonly Model[]): Model[];
}
