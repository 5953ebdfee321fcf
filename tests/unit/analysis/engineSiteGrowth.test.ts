import { describe, expect, it } from 'vitest';
import { engineSiteGrowth, TOP_ENGINE_SITES } from '../../../src/analysis/engineSiteGrowth.js';
import type { ModelJudgement } from '../../../src/analysis/judgeModel.js';
import type { SignalEvidence } from '../../../src/analysis/SignalEvidence.js';
import type { EngineSiteChange } from '../../../src/protocol/EngineSiteChange.js';
import type { ModelIteration } from '../../../src/results/RunResults.js';

const change = (site: string, changeBytes: number, changeBlocks = 1): EngineSiteChange => ({
  site,
  liveBytes: 0,
  liveBlocks: 0,
  changeBytes,
  changeBlocks,
  function: `f_${site}`,
  location: null,
});
const record = (modelKey: string, iteration: number, changes: EngineSiteChange[]) =>
  ({ modelKey, iteration, phases: { afterUnload: { engineSiteChanges: changes } } }) as unknown as ModelIteration;
const judged = (modelKey: string, slopeBytesPerSwitch: number, warmupSwitches = 0) =>
  ({ modelKey, evidence: [{ signal: 'engineHeap', slopeBytesPerSwitch, warmupSwitches } as SignalEvidence] }) as unknown as ModelJudgement;

describe('engineSiteGrowth', () => {
  it('averages each site over the post-warm-up switches, with its share of the slope, largest first', () => {
    const records = [
      record('a', 1, [change('init', 4096), change('leak', 32)]), // warm-up
      ...[2, 3, 4, 5].map((i) => record('a', i, [change('leak', 32), change('small', i % 2 === 0 ? 8 : 0, i % 2 === 0 ? 1 : 0)])),
    ];
    const [model] = engineSiteGrowth({ records }, [judged('a', 36, 1)]);
    expect(model!.switches).toBe(4);
    expect(model!.sites.map((s) => [s.site, s.bytesPerSwitch, s.blocksPerSwitch, s.risingSwitches])).toEqual([
      ['leak', 32, 1, 4],
      ['small', 4, 0.5, 2],
    ]);
    expect(model!.sites[0]!.shareOfSlope).toBeCloseTo(32 / 36, 10);
  });

  it('leaves out sites that rose once or gave back what they took, and models without the ledger', () => {
    const records = [1, 2, 3, 4, 5].map((i) => record('a', i, i === 1 ? [change('once', 100)] : [change('churn', i % 2 === 0 ? 64 : -64)]));
    expect(engineSiteGrowth({ records }, [judged('a', 0)])[0]!.sites).toEqual([]);
    expect(engineSiteGrowth({ records }, [{ modelKey: 'a', evidence: [] } as unknown as ModelJudgement])).toEqual([]);
  });

  it('lists the largest TOP_ENGINE_SITES sites and counts the rest, with their bytes', () => {
    const names = Array.from({ length: TOP_ENGINE_SITES + 2 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    // Site i grows by 100 - i bytes at each switch: s00 is the largest.
    const records = [1, 2, 3].map((i) =>
      record(
        'a',
        i,
        names.map((name, j) => change(name, 100 - j)),
      ),
    );
    const [model] = engineSiteGrowth({ records }, [judged('a', 1000)]);
    expect(model!.sites.map((s) => s.site)).toEqual(names.slice(0, TOP_ENGINE_SITES));
    expect(model!.unlisted).toEqual({ sites: 2, bytesPerSwitch: 100 - TOP_ENGINE_SITES + (100 - TOP_ENGINE_SITES - 1) });
  });
});
