import { describe, expect, it } from 'vitest';
import { EngineSiteTracker, SITE_CHANGES_SENT } from '../../../src/worker/engineSiteChanges.js';

const site = (moduleOffset: number, liveBytes: number, liveBlocks = 1) => ({
  module: '/lib/libchatllm.so',
  moduleOffset,
  liveBytes,
  liveBlocks,
});

describe('EngineSiteTracker', () => {
  it('reports what changed since the last call, largest change first, including sites that emptied', () => {
    const tracker = new EngineSiteTracker();
    expect(tracker.changes([site(0x10, 32), site(0x20, 4096)]).map((c) => [c.site, c.changeBytes])).toEqual([
      ['/lib/libchatllm.so+0x20', 4096],
      ['/lib/libchatllm.so+0x10', 32],
    ]);
    expect(tracker.changes([site(0x10, 64, 2)])).toEqual([
      { site: '/lib/libchatllm.so+0x20', liveBytes: 0, liveBlocks: 0, changeBytes: -4096, changeBlocks: -1 },
      { site: '/lib/libchatllm.so+0x10', liveBytes: 64, liveBlocks: 2, changeBytes: 32, changeBlocks: 1 },
    ]);
    expect(tracker.changes([site(0x10, 64, 2)])).toEqual([]);
  });

  it(`sends at most ${SITE_CHANGES_SENT} sites`, () => {
    const sites = Array.from({ length: SITE_CHANGES_SENT + 5 }, (_, i) => site(i, i + 1));
    const changes = new EngineSiteTracker().changes(sites);
    expect(changes).toHaveLength(SITE_CHANGES_SENT);
    expect(changes.at(-1)!.changeBytes).toBe(6);
  });
});
