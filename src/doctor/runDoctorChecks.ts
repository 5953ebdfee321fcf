import type { DoctorCheck } from './DoctorCheck.js';
import type { DoctorConfig } from './DoctorConfig.js';
import type { DoctorResult } from './DoctorResult.js';
import { DOCTOR_CHECKS } from './doctorChecks.js';

/**
 * Runs the checks one after another (the engine check forks a worker; the rest are cheap) and
 * returns every line. `run` and the gate call it before measuring; `doctorExitCode` turns it into
 * an exit code.
 */
export async function runDoctorChecks(
  config: DoctorConfig,
  env: NodeJS.ProcessEnv,
  checks: readonly DoctorCheck[] = DOCTOR_CHECKS,
): Promise<DoctorResult[]> {
  const results: DoctorResult[] = [];
  for (const check of checks) results.push(...(await check.run(config, env)));
  return results;
}
