import { formatBytes } from '../../units.js';
import type { ExplanationRule } from './ExplanationRule.js';

/** RSS slopes this many times the heap's (or less than its inverse) tell a different story. */
const DIFFERENT_BY = 2;

/**
 * heap-in-use and RSS both leak, at rates far apart: what a server feels (RSS) is not what the engine
 * keeps (heap). Faster RSS is fragmentation (small live blocks pinning freed pages) or retention on top
 * of the leak; slower RSS is glibc reusing pages the leak has not reached yet. Either way, RSS alone
 * would mis-size the leak.
 */
export const rssOutrunsHeapRule: ExplanationRule = {
  name: 'rss-differs-from-heap',
  applies: (e) => {
    if (e.heapInUse?.verdict !== 'leak' || e.rss?.verdict !== 'leak' || e.heapInUse.slopeBytesPerSwitch <= 0) return false;
    const ratio = e.rss.slopeBytesPerSwitch / e.heapInUse.slopeBytesPerSwitch;
    return ratio > DIFFERENT_BY || ratio < 1 / DIFFERENT_BY;
  },
  message: (e) => {
    const ratio = e.rss!.slopeBytesPerSwitch / e.heapInUse!.slopeBytesPerSwitch;
    return (
      `RSS alone looks different: it grows ${formatBytes(e.rss!.slopeBytesPerSwitch)}/switch, ${ratio.toFixed(1)}× the heap's ` +
      `${formatBytes(e.heapInUse!.slopeBytesPerSwitch)}/switch` +
      (ratio > 1
        ? ' (fragmentation or allocator retention on top of the leak: small live blocks keep freed pages resident)'
        : ' (glibc is still reusing freed pages; RSS will catch up)')
    );
  },
};
