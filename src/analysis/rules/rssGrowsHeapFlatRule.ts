import type { ExplanationRule } from './ExplanationRule.js';

/** RSS or RssAnon grows while heap-in-use does not: the allocator or the page cache, not the program. */
export const rssGrowsHeapFlatRule: ExplanationRule = {
  name: 'rss-grows-heap-flat',
  applies: (e) =>
    e.heapInUse !== undefined &&
    !e.heapInUse.insufficientData &&
    e.heapInUse.verdict !== 'leak' &&
    (e.rss?.verdict === 'leak' || e.rssAnon?.verdict === 'leak'),
  message: () =>
    'RSS grows while heap-in-use is flat: allocator retention or file pages, not a leak ' +
    '(rerun with --trim, which calls malloc_trim(0) after each unload, to confirm; a server can call malloc_trim(0) after unloading a model)',
};
