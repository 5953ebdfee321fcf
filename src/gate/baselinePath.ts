import { join, resolve } from 'node:path';
import { PLATFORM } from '../system/platform.js';
import type { RunResults } from '../results/RunResults.js';
import { baselineEngine } from './Baseline.js';

/**
 * Where baselines live unless configured: `baselines/` in the user's project, beside the tests that
 * gate on them and committed with them — never in leakgate's own package folder, which `npm ci`
 * replaces. (In leakgate's repository the repository is the project: its baselines/ is this folder.)
 */
export const DEFAULT_BASELINES_DIR = 'baselines';

/** The baselines folder: `configured` (or baselines/) resolved against the project's folder `cwd`. */
export function resolveBaselinesDir(cwd: string, configured?: string): string {
  return resolve(cwd, configured ?? DEFAULT_BASELINES_DIR);
}

/** Where the baseline of a run lives: baselines/<engine>/<platform>/<scenario>--<model labels>.json. */
export function baselinePath(baselinesDir: string, results: Pick<RunResults, 'engine' | 'scenario' | 'models'>): string {
  const models = results.models.map((model) => model.label.toLowerCase().replace(/[^a-z0-9.]+/g, '-')).join('+');
  return join(baselinesDir, baselineEngine(results.engine), PLATFORM, `${results.scenario}--${models}.json`);
}
