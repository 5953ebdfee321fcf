import { usageError } from '../../errors.js';
import type { Scenario } from './Scenario.js';

/** The seed's exp2, method 1: one model, destroyed and created again every iteration. */
export const recreateScenario: Scenario = {
  name: 'recreate',
  description: 'one model: create -> transcribe -> destroy every iteration (the seed\'s exp2, method 1)',
  validate(models) {
    if (models.length !== 1) throw usageError(`the recreate scenario takes exactly one --model, got ${models.length}`);
  },
  plan: (models) => [{ model: models[0]!, steps: { load: true, unload: 'destroy' } }],
  leftLoaded: () => [],
};
