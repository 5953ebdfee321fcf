import type { VerdictRule } from './VerdictRule.js';

/** Too few switches after warm-up for a 95 % interval: neither a leak nor clean can be claimed. */
export const insufficientDataRule: VerdictRule = {
  name: 'insufficient-data',
  verdict: 'undecided',
  matches: (a) => a.switchesUsed < a.minimumSwitches || a.ci95Bytes === null,
  moreSwitchesNeeded: (a) => Math.max(1, a.minimumSwitches - a.switchesUsed),
  explain: (a) =>
    `${a.signal}: undecided, only ${a.switchesUsed} switches to measure, at least ${a.minimumSwitches} needed ` +
    `(run at least ${Math.max(1, a.minimumSwitches - a.switchesUsed)} more)`,
};
