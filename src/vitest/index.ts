/**
 * `leakgate/vitest`: the leak gate in a project's own vitest suite.
 *   describeLeakGate({ iterations })   declares the gate's tests (per model verdict, per count, the process, per metric)
 *   expect(outcome).toHaveNoLeak()     the matchers, registered when this module is imported
 *   testRunIO()                        the IO for calling run() or compare() from a test
 */
export { describeLeakGate, baselineUpdateCommand, type LeakGateOptions } from './describeLeakGate.js';
export { testRunIO } from './testRunIO.js';
export type { LeakMatchers } from './matchers.js';
