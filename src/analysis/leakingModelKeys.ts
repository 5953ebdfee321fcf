import { isFailFastStop, type RunResults } from '../results/RunResults.js';
import type { RunJudgement } from './judgeRun.js';

/**
 * The models that leak: a leak verdict (of the model, or of its fds, threads or mappings), or the
 * model whose failed unload check (an fd or thread left per load) stopped the run. `run --attribute`
 * attributes them; the reports show their allocation sites.
 */
export function leakingModelKeys(results: Pick<RunResults, 'failure'>, analysis: { judgement: RunJudgement }): string[] {
  const { models, counts } = analysis.judgement;
  const keys = [
    ...models.filter((model) => model.verdict === 'leak').map((model) => model.modelKey),
    ...counts.filter((count) => count.verdict === 'leak').map((count) => count.modelKey),
    ...(isFailFastStop(results.failure) && results.failure!.modelKey ? [results.failure!.modelKey] : []),
  ];
  return [...new Set(keys)];
}
