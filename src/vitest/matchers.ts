/**
 * vitest matchers for leak gates:
 *   expect(outcome).toHaveNoLeak()          no leak verdict, no failed unload check, no engine failure
 *   expect(outcome).toStayWithin(baseline)  the full gate against a baseline (null: nothing tolerated)
 * Import this module once (e.g. in a setup file or the test) to register them.
 */
import { expect } from 'vitest';
import { evaluateGate, type GateOutcome } from '../gate/evaluateGate.js';
import type { Baseline } from '../gate/Baseline.js';
import { formatGate } from '../report/formatGate.js';
import type { RunOutcome } from '../run.js';

interface LeakMatchers<R = unknown> {
  /** No model's verdict is leak, no unload check failed, the engine did not crash or hang. */
  toHaveNoLeak(): R;
  /** The gate passes against `baseline`: tolerated leaks only, every metric within its tolerance. */
  toStayWithin(baseline: Baseline | null): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends LeakMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends LeakMatchers {}
}

const report = (gate: GateOutcome, baselineFile: string | null): string => formatGate(gate, baselineFile).trim();

expect.extend({
  toHaveNoLeak(received: RunOutcome) {
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
  toStayWithin(received: RunOutcome, baseline: Baseline | null) {
    const gate = evaluateGate(received.results, received.analysis, baseline, received.baselineFile);
    return {
      pass: gate.passed,
      message: () => (gate.passed ? `expected the gate to fail against ${received.baselineFile}` : report(gate, received.baselineFile)),
    };
  },
});
