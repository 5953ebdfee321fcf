import { ensureRefEngineBuilt } from '../../src/refmodel/refEnginePath.js';

/** Builds the reference engine once before any test project runs (a fresh clone may have skipped `prepare`). */
export default async function setup(): Promise<void> {
  await ensureRefEngineBuilt();
}
