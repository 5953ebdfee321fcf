import type { ExplanationRule } from './ExplanationRule.js';

/** Without mallinfo2 the verdict rests on RSS, which cannot separate retention from a leak. */
export const heapUnavailableRule: ExplanationRule = {
  name: 'heap-unavailable',
  applies: (e) => e.heapInUse === undefined && (e.rssAnon !== undefined || e.rss !== undefined),
  message: (e) =>
    `heap-in-use was not measured (no glibc mallinfo2): the verdict comes from ${e.rssAnon ? 'RssAnon' : 'RSS'}, ` +
    'which cannot tell allocator retention from a leak',
};
