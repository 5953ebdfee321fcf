import type { SignalAssessment } from '../assessSignal.js';
import { formatBytes } from '../../units.js';

/** "12.0 KiB/switch (95 % CI 11.0 KiB to 13.0 KiB) over 20 switches": the slope evidence in words. */
export function describeSlope(a: SignalAssessment): string {
  const ci = a.ci95Bytes ? ` (95 % CI ${formatBytes(a.ci95Bytes[0])} to ${formatBytes(a.ci95Bytes[1])})` : ' (no 95 % CI)';
  const after = a.warmupSwitches > 0 ? ` after ${a.warmupSwitches} warm-up switches` : '';
  return `${formatBytes(a.slopeBytesPerSwitch)}/switch${ci} over ${a.switchesUsed} switches${after}`;
}
