import { describeLeakEvidence, hasLeakEvidence } from './leakEvidence.js';
import type { VerdictRule } from './VerdictRule.js';

/** Leak: after warm-up the slope's 95 % interval lies above the noise floor, or the rise is steady beyond chance. */
export const leakRule: VerdictRule = {
  name: 'leak',
  verdict: 'leak',
  matches: hasLeakEvidence,
  explain: (a) => `${a.signal}: leak, ${describeLeakEvidence(a)}`,
};
