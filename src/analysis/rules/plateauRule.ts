import { formatBytes } from '../../units.js';
import { describeSlope } from './describeSlope.js';
import type { VerdictRule } from './VerdictRule.js';

/** Plateau: a measured warm-up rise, then no leak: memory retained early (allocator, pools) and reused. */
export const plateauRule: VerdictRule = {
  name: 'plateau',
  verdict: 'plateau',
  matches: (a) => a.warmupSwitches > 0 && a.warmupGrowthBytes > a.levelToleranceBytes,
  explain: (a) =>
    `${a.signal}: plateau, rose ${formatBytes(a.warmupGrowthBytes)} over the first ${a.warmupSwitches} switches, ` +
    `then ${describeSlope(a)}, not above the ${formatBytes(a.floorBytesPerSwitch)}/switch noise floor: ` +
    'retained during warm-up and reused since, not a leak',
};
