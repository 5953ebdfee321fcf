import { fdCheck } from './fdCheck.js';
import { mappingCheck } from './mappingCheck.js';
import { threadCheck } from './threadCheck.js';
import type { UnloadCheck } from './UnloadCheck.js';

/** Every unload check, run in this order on each model-iteration by checkUnload. */
export const unloadChecks: readonly UnloadCheck[] = [mappingCheck, fdCheck, threadCheck];
