import { join } from 'node:path';
import { PACKAGE_ROOT } from '../leakgatePackage.js';
import { PLATFORM } from '../system/platform.js';
import type { RunResults } from '../results/RunResults.js';
import { baselineEngine } from './Baseline.js';

/** Where the baseline of a run lives: baselines/<engine>/<platform>/<scenario>--<model labels>.json. */
export function baselinePath(baselinesDir: string, results: Pick<RunResults, 'engine' | 'scenario' | 'models'>): string {
  const models = results.models.map((model) => model.label.toLowerCase().replace(/[^a-z0-9.]+/g, '-')).join('+');
  return join(baselinesDir, baselineEngine(results.engine), PLATFORM, `${results.scenario}--${models}.json`);
}

/** The folder baselines are read from and written to when no --baseline is given: the one place that decides it. */
export function defaultBaselinesDir(): string {
  return join(PACKAGE_ROOT, 'baselines');
}
