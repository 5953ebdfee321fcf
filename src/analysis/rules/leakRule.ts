import { formatBytes } from '../formatBytes.js';
import { describeSlope } from './describeSlope.js';
import type { VerdictRule } from './VerdictRule.js';

/** Leak: after warm-up the whole 95 % interval of the slope lies above the noise floor. */
export const leakRule: VerdictRule = {
  name: 'leak',
  verdict: 'leak',
  insufficientData: false,
  matches: (a) => a.ci95Bytes !== null && a.ci95Bytes[0] > a.floorBytesPerSwitch,
  explain: (a) =>
    `${a.signal}: leak, ${describeSlope(a)}; the interval lies above the ${formatBytes(a.floorBytesPerSwitch)}/switch noise floor`,
};
