import { usageError } from '../../errors.js';
import type { Scenario } from './Scenario.js';

/** The seed's exp3: every iteration loads, uses and destroys each model in turn. */
export const switchScenario: Scenario = {
  name: 'switch',
  description: 'load -> transcribe -> destroy each model in turn, every iteration (the seed\'s exp3)',
  validate(models) {
    if (models.length < 1) throw usageError('the switch scenario needs at least one --model');
  },
  plan: (models) => models.map((model) => ({ model, steps: { load: true, unload: 'destroy' } })),
  leftLoaded: () => [],
};
