import { describe, expect, it } from 'vitest';
import type { EngineSiteGrowth, ModelEngineSites } from '../../../src/analysis/engineSiteGrowth.js';
import type { SignalEvidence } from '../../../src/analysis/SignalEvidence.js';
import { leakOfAcceptedSites } from '../../../src/gate/acceptEngineSites.js';

const PUSH = 'chatllm::BlockParams::FlashAttention::push(std::__cxx11::basic_string<char> const&)';
const site = (fn: string, bytesPerSwitch: number): EngineSiteGrowth => ({
  site: `lib+0x${fn.length}`,
  function: fn,
  location: null,
  bytesPerSwitch,
  blocksPerSwitch: 0,
  shareOfSlope: null,
  risingSwitches: 4,
});
const NONE_UNLISTED = { sites: 0, bytesPerSwitch: 0 };
const sites = (...growing: EngineSiteGrowth[]): ModelEngineSites[] => [
  { modelKey: 'm', switches: 10, sites: growing, unlisted: NONE_UNLISTED },
];
const leak = (slopeBytesPerSwitch: number) => ({ signal: 'engineHeap', verdict: 'leak', slopeBytesPerSwitch }) as SignalEvidence;
const accepted = [
  { function: 'chatllm::BlockParams::FlashAttention::push', maxBytesPerSwitch: 128, reason: 'upstream: mode vector never popped' },
];

describe('leakOfAcceptedSites', () => {
  it('accepts an engine-heap leak made only of an accepted site within its rate', () => {
    expect(leakOfAcceptedSites(leak(96), sites(site(PUSH, 96)), accepted)).toBe(true);
  });

  it('refuses a faster site, another growing site, growth no site covers, or another signal', () => {
    expect(leakOfAcceptedSites(leak(200), sites(site(PUSH, 200)), accepted)).toBe(false);
    expect(leakOfAcceptedSites(leak(128), sites(site(PUSH, 96), site('refengine_leak_per_load', 32)), accepted)).toBe(false);
    expect(leakOfAcceptedSites(leak(1096), sites(site(PUSH, 96)), accepted)).toBe(false);
    expect(leakOfAcceptedSites({ ...leak(96), signal: 'heapInUse' }, sites(site(PUSH, 96)), accepted)).toBe(false);
    expect(leakOfAcceptedSites(leak(96), sites(site(PUSH, 96)), [])).toBe(false);
  });

  it('refuses a leak with growing sites past the listed ones: they cannot be shown to be accepted', () => {
    const listed = sites(site(PUSH, 96));
    expect(leakOfAcceptedSites(leak(100), listed, accepted)).toBe(true);
    expect(leakOfAcceptedSites(leak(100), [{ ...listed[0]!, unlisted: { sites: 1, bytesPerSwitch: 4 } }], accepted)).toBe(false);
  });
});
