import type { VerdictRule } from './VerdictRule.js';

/** Too few switches after warm-up for a 95 % interval: never call a leak, say clean and flag it. */
export const insufficientDataRule: VerdictRule = {
  name: 'insufficient-data',
  verdict: 'clean',
  insufficientData: true,
  matches: (a) => a.switchesUsed < a.minimumSwitches || a.ci95Bytes === null,
  explain: (a) =>
    `${a.signal}: only ${a.switchesUsed} switches to measure, at least ${a.minimumSwitches} needed to call a leak; ` +
    'reported clean for lack of data (run more iterations)',
};
