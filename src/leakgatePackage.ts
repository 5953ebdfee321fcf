import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the leakgate package (src/.. in this repository, dist/.. when installed): where its
 * fixtures/ and native/ sources live. Never the user's data: baselines and results resolve against the
 * user's project (gate/baselinePath.ts).
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** leakgate's version, from package.json (recorded in results and baselines). */
export const LEAKGATE_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
