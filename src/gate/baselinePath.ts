import { join } from 'node:path';
import type { RunResults } from '../results/RunResults.js';

/** Where the baseline of a run lives: baselines/<engine>/<platform>/<scenario>--<model labels>.json. */
export function baselinePath(baselinesDir: string, results: Pick<RunResults, 'engine' | 'scenario' | 'models'>): string {
  const engine = results.engine.reference ? 'reference' : 'chatllm.cpp';
  const models = results.models.map((model) => model.label.toLowerCase().replace(/[^a-z0-9.]+/g, '-')).join('+');
  return join(baselinesDir, engine, `${process.platform}-${process.arch}`, `${results.scenario}--${models}.json`);
}
