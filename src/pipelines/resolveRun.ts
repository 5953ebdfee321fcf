import { resolveRunConfig } from '../config/resolveRunConfig.js';
import type { RunConfig } from '../config/RunConfig.js';
import type { RunOptions } from '../config/RunOptions.js';
import { findScenario, type Scenario } from '../host/scenarios.js';
import type { LeakgateIO } from '../LeakgateIO.js';

/** A resolved run: its configuration and its scenario, checked against the models. */
export interface ResolvedRun {
  config: RunConfig;
  scenario: Scenario;
}

/** What every measuring verb starts from: the options resolved once, the scenario found and validated once. */
export async function resolveRun(options: RunOptions, io: Pick<LeakgateIO, 'env' | 'cwd'>): Promise<ResolvedRun> {
  const config = await resolveRunConfig(options, io.env, io.cwd);
  const scenario = findScenario(config.scenario);
  scenario.validate(config.models);
  return { config, scenario };
}
