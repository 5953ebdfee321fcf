import type { EngineSiteChange } from '../protocol/EngineSiteChange.js';
import type { EngineLedgerSite } from './loadNative.js';

/** Sites read from the ledger per sample: far more than an engine keeps alive after an unload. */
export const LEDGER_SITES_READ = 4096;
/** Changed sites sent per sample, largest change first: what a report can show, in a results file that stays small. */
export const SITE_CHANGES_SENT = 32;

type Held = { liveBytes: number; liveBlocks: number };

/**
 * Remembers each site's live memory between after-unload samples and says which changed: sites whose
 * bytes or blocks differ from the last time (a site that emptied shows with 0 live), largest change first.
 */
export class EngineSiteTracker {
  private last = new Map<string, Held>();

  changes(sites: readonly EngineLedgerSite[]): EngineSiteChange[] {
    const now = new Map<string, Held>();
    for (const s of sites) now.set(`${s.module}+0x${s.moduleOffset.toString(16)}`, { liveBytes: s.liveBytes, liveBlocks: s.liveBlocks });
    const changes: EngineSiteChange[] = [];
    for (const site of new Set([...now.keys(), ...this.last.keys()])) {
      const held = now.get(site) ?? { liveBytes: 0, liveBlocks: 0 };
      const before = this.last.get(site) ?? { liveBytes: 0, liveBlocks: 0 };
      const changeBytes = held.liveBytes - before.liveBytes;
      const changeBlocks = held.liveBlocks - before.liveBlocks;
      if (changeBytes !== 0 || changeBlocks !== 0) changes.push({ site, ...held, changeBytes, changeBlocks });
    }
    this.last = now;
    changes.sort(
      (a, b) =>
        Math.abs(b.changeBytes) - Math.abs(a.changeBytes) ||
        Math.abs(b.changeBlocks) - Math.abs(a.changeBlocks) ||
        a.site.localeCompare(b.site),
    );
    return changes.slice(0, SITE_CHANGES_SENT);
  }
}
