import { ExitCode, LeakgateError } from '../../errors.js';
import { identifyModelFile } from '../../modelfiles/identifyModelFile.js';
import { type DoctorCheck, DoctorResult } from '../DoctorCheck.js';

const CHECK = 'model';

/**
 * Each model is a file `leakgate run` would accept (identifyModelFile: the same answer and fix);
 * the line says what its header describes.
 */
export const modelFilesCheck: DoctorCheck = {
  name: CHECK,
  async run(config) {
    if (config.models.length === 0) {
      return [
        DoctorResult.fail(CHECK, 'no models to run', 'pass --model PATH (repeatable) or set LEAKGATE_MODELS=a.bin,b.bin', ExitCode.usage),
      ];
    }
    const results: DoctorResult[] = [];
    for (const { path } of config.models) {
      try {
        results.push(DoctorResult.ok(CHECK, `${path}: ${(await identifyModelFile(path)).description}`));
      } catch (error) {
        if (!(error instanceof LeakgateError)) throw error;
        results.push(DoctorResult.fromError(CHECK, error));
      }
    }
    return results;
  },
};
