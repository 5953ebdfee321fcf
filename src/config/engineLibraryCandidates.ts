import { join } from 'node:path';
import { PACKAGE_ROOT } from '../leakgatePackage.js';

/** Where `npm run native:build` leaves libchatllm, in the order leakgate looks. */
export function engineLibraryCandidates(): string[] {
  return [join(PACKAGE_ROOT, 'native/build/lib/libchatllm.so'), join(PACKAGE_ROOT, 'native/build/libchatllm.so')];
}
