import type { RunResults } from '../results/RunResults.js';
import type { ModelJudgement } from './judgeModel.js';

/** One engine allocation site whose live memory grew per switch after warm-up (the allocation ledger). */
export interface EngineSiteGrowth {
  /** "MODULE+0xOFFSET": the return address into the engine. */
  site: string;
  function: string | null;
  location: string | null;
  /** Mean change after each unload, over the post-warm-up switches: exact bytes and blocks per switch. */
  bytesPerSwitch: number;
  blocksPerSwitch: number;
  /** bytesPerSwitch over the engine-heap slope (null when that slope is not positive). */
  shareOfSlope: number | null;
  /** Post-warm-up switches after which the site held more than before. */
  risingSwitches: number;
}

/** The growing sites of one model, largest first. */
export interface ModelEngineSites {
  modelKey: string;
  /** Post-warm-up switches the means are over. */
  switches: number;
  sites: EngineSiteGrowth[];
  /** Growing sites past the TOP_ENGINE_SITES listed, and their bytes per switch together: never accepted unseen. */
  unlisted: { sites: number; bytesPerSwitch: number };
}

/** Sites listed per model: the ones a reader can act on. */
export const TOP_ENGINE_SITES = 10;
/** A site that rose once (a buffer made on first use) does not grow per switch: it must rise at 2 switches or more. */
export const MINIMUM_RISING_SWITCHES = 2;

/**
 * Per model, the engine's allocation sites that grew per switch after the engine-heap signal's warm-up:
 * each site's changes after unload (recorded by the worker, since the previous unload) summed over the
 * model's post-warm-up switches and divided by their number. Models share the worker, but each
 * record's changes span that model's own switch only. Empty without the ledger.
 */
export function engineSiteGrowth(results: Pick<RunResults, 'records'>, models: readonly ModelJudgement[]): ModelEngineSites[] {
  const out: ModelEngineSites[] = [];
  for (const model of models) {
    const evidence = model.evidence.find((e) => e.signal === 'engineHeap');
    if (!evidence) continue;
    const records = results.records.filter((r) => r.modelKey === model.modelKey).sort((a, b) => a.iteration - b.iteration);
    const measured = records.slice(evidence.warmupSwitches);
    if (measured.length === 0) continue;
    type Total = Pick<EngineSiteGrowth, 'site' | 'function' | 'location' | 'risingSwitches'> & { bytes: number; blocks: number };
    const totals = new Map<string, Total>();
    for (const record of measured) {
      for (const change of record.phases.afterUnload.engineSiteChanges ?? []) {
        const total = totals.get(change.site) ?? {
          site: change.site,
          function: change.function ?? null,
          location: change.location ?? null,
          risingSwitches: 0,
          bytes: 0,
          blocks: 0,
        };
        if (change.changeBytes > 0) total.risingSwitches += 1;
        total.bytes += change.changeBytes;
        total.blocks += change.changeBlocks;
        totals.set(change.site, total);
      }
    }
    const slope = evidence.slopeBytesPerSwitch;
    const growing = [...totals.values()]
      .filter((t) => t.bytes > 0 && t.risingSwitches >= MINIMUM_RISING_SWITCHES)
      .map(({ bytes, blocks, ...named }) => ({
        ...named,
        bytesPerSwitch: bytes / measured.length,
        blocksPerSwitch: blocks / measured.length,
        shareOfSlope: slope > 0 ? bytes / measured.length / slope : null,
      }))
      .sort((a, b) => b.bytesPerSwitch - a.bytesPerSwitch || a.site.localeCompare(b.site));
    const unlisted = growing.slice(TOP_ENGINE_SITES);
    out.push({
      modelKey: model.modelKey,
      switches: measured.length,
      sites: growing.slice(0, TOP_ENGINE_SITES),
      unlisted: { sites: unlisted.length, bytesPerSwitch: unlisted.reduce((sum, site) => sum + site.bytesPerSwitch, 0) },
    });
  }
  return out;
}
