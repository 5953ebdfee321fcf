import { fileURLToPath } from 'node:url';

/** Absolute path of the leakgate package (where fixtures/, native/ and baselines/ live). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
