import type { AllocationSite } from '../../results/Attribution.js';
import type { NativeFrame } from '../../results/NativeFrame.js';
import { foldStack, siteKey } from './foldStack.js';
import type { HeaptrackDump } from './HeaptrackDump.js';

export interface ModelSiteGrowth {
  modelKey: string;
  switches: number;
  growingSites: AllocationSite[];
  /** Everything heaptrack saw growing in this model's switches, engine or not, bytes per switch. */
  tracedSlopeBytesPerSwitch: number;
}

/**
 * Per model, the allocation sites whose retained bytes grow from one unload to the next.
 * `switchModels[k]` is the model of the k-th measured switch, whose unload drew heap mark k. A
 * switch's growth is what was live after its unload minus what was live after the unload before
 * it, so a neighbour model's leak is not counted against this one. Each model's first switch is
 * warm-up (caches filled once) and not counted. A site grows when its growth is positive in more
 * than half of the counted switches and on average.
 */
export function siteGrowth(dump: HeaptrackDump, switchModels: string[], isEngineModule: (module: string) => boolean): ModelSiteGrowth[] {
  const marks = dump.liveCountsAtMarks;
  if (marks.length !== switchModels.length) {
    throw new Error(`heaptrack recorded ${marks.length} unload marks for ${switchModels.length} unloads`);
  }
  const folded = new Map<number, { key: string; stack: NativeFrame[] } | null>();
  const siteOf = (allocation: number): { key: string; stack: NativeFrame[] } | null => {
    if (!folded.has(allocation)) {
      const stack = foldStack(dump.stackOf(allocation), isEngineModule);
      folded.set(allocation, stack ? { key: siteKey(stack), stack } : null);
    }
    return folded.get(allocation)!;
  };
  const liveAt = (mark: number, allocation: number): number => marks[mark]![allocation] ?? 0;

  return [...new Set(switchModels)].map((modelKey) => {
    const switches = switchModels.flatMap((key, index) => (key === modelKey ? [index] : []));
    const counted = switches.slice(1);
    type Site = { stack: NativeFrame[]; bytes: number[]; calls: number[]; retained: number[] };
    const sites = new Map<string, Site>();
    let tracedBytes = 0;
    const kinds = Math.max(...switches.map((mark) => marks[mark]!.length));
    for (let allocation = 0; allocation < kinds; allocation += 1) {
      const size = dump.allocationBytes[allocation] ?? 0;
      const growth = counted.map((mark) => liveAt(mark, allocation) - liveAt(mark - 1, allocation));
      tracedBytes += growth.reduce((sum, calls) => sum + calls * size, 0);
      if (switches.every((mark) => liveAt(mark, allocation) === 0)) continue;
      const site = siteOf(allocation);
      if (!site) continue;
      let entry = sites.get(site.key);
      if (!entry) {
        entry = { stack: site.stack, bytes: counted.map(() => 0), calls: counted.map(() => 0), retained: switches.map(() => 0) };
        sites.set(site.key, entry);
      }
      growth.forEach((calls, i) => {
        entry.bytes[i]! += calls * size;
        entry.calls[i]! += calls;
      });
      switches.forEach((mark, i) => (entry.retained[i]! += liveAt(mark, allocation) * size));
    }
    const mean = (values: number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
    const growingSites: AllocationSite[] = [...sites.values()]
      .filter((site) => mean(site.bytes) > 0 && site.bytes.filter((bytes) => bytes > 0).length * 2 > site.bytes.length)
      .map((site) => ({
        firstFrame: site.stack[0]!,
        stack: site.stack,
        bytesPerSwitch: mean(site.bytes),
        callsPerSwitch: mean(site.calls),
        retainedBytesAfterUnload: site.retained,
      }))
      .sort((a, b) => b.bytesPerSwitch - a.bytesPerSwitch);
    return {
      modelKey,
      switches: switches.length,
      growingSites,
      tracedSlopeBytesPerSwitch: counted.length === 0 ? 0 : tracedBytes / counted.length,
    };
  });
}
