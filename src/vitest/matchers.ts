/**
 * vitest matchers for leak gates:
 *   expect(outcome).toHaveNoLeak()   nothing tolerated: no leak or undecided verdict, no engine failure, a finished run
 *   expect(outcome).toPassGate()     the run's own gate (outcome.gate) passed against a baseline that exists
 * Import this module once (e.g. in a setup file or the test) to register them.
 */
import { expect } from 'vitest';
import { evaluateGate } from '../gate/evaluateGate.js';
import { formatGate } from '../report/formatGate.js';
import type { RunOutcome } from '../pipelines/run.js';

export interface LeakMatchers<R = unknown> {
  /** The gate with no baseline: no leak or undecided verdict, no failed unload check, the engine did not crash or hang. */
  toHaveNoLeak(): R;
  /** outcome.gate passed, and it had a baseline to hold the run to (no baseline is a failure, not a pass). */
  toPassGate(): R;
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: a merged declaration must repeat vitest's own `Assertion<T = any>`
  interface Assertion<T = any> extends LeakMatchers<T> {}
  interface AsymmetricMatchersContaining extends LeakMatchers {}
}

expect.extend({
  toHaveNoLeak(received: RunOutcome) {
    // Not outcome.gate: a baseline may tolerate a leak, and this matcher tolerates none.
    const gate = evaluateGate(received.results, received.analysis, null);
    const leaks = gate.violations.filter((v) => v.kind !== 'regression');
    return {
      pass: leaks.length === 0,
      message: () =>
        leaks.length === 0
          ? 'expected a leak, but every model is clean or plateaus'
          : `expected no leak:\n${leaks.map((v) => `  ✗ [${v.kind}] ${v.message}`).join('\n')}`,
    };
  },
  toPassGate(received: RunOutcome) {
    const { gate, baselineFile } = received;
    if (gate.baseline === null) {
      return {
        pass: false,
        message: () =>
          `no baseline at ${baselineFile} to gate on: measure one with npx leakgate baseline update (same engine, platform and models)`,
      };
    }
    return {
      pass: gate.passed,
      message: () => (gate.passed ? `expected the gate to fail against ${baselineFile}` : formatGate(gate, baselineFile).trim()),
    };
  },
});
