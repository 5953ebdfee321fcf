import { formatBytes } from '../../units.js';
import { describeSlope } from './describeSlope.js';
import type { VerdictRule } from './VerdictRule.js';

/** Clean: the fallback when neither a leak nor a warm-up plateau was measured. */
export const cleanRule: VerdictRule = {
  name: 'clean',
  verdict: 'clean',
  matches: () => true,
  explain: (a) =>
    `${a.signal}: clean, ${describeSlope(a)}, not above the ${formatBytes(a.floorBytesPerSwitch)}/switch noise floor`,
};
