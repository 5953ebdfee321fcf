import { usageError } from '../../errors.js';
import type { Scenario } from './Scenario.js';

/** The seed's exp2, method 2: one model loaded once, chatllm_restart between transcriptions. */
export const restartScenario: Scenario = {
  name: 'restart',
  description: 'one model loaded once: transcribe -> chatllm_restart every iteration (the seed\'s exp2, method 2)',
  validate(models) {
    if (models.length !== 1) throw usageError(`the restart scenario takes exactly one --model, got ${models.length}`);
  },
  plan: (models, iteration) => [{ model: models[0]!, steps: { load: iteration === 1, unload: 'restart' } }],
  leftLoaded: (models) => [models[0]!],
};
