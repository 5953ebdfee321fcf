import type { DoctorConfig } from './DoctorConfig.js';
import type { DoctorResult } from './DoctorResult.js';

/** One entry of the doctor registry (src/doctor/doctorChecks.ts). */
export interface DoctorCheck {
  name: string;
  /**
   * Returns one result per thing checked (the model check returns one per model). Throws only on a
   * leakgate bug: problems with the machine or the configuration are FAIL results.
   */
  run(config: DoctorConfig, env: NodeJS.ProcessEnv): Promise<DoctorResult[]>;
}
