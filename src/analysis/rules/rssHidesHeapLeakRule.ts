import type { ExplanationRule } from './ExplanationRule.js';

/** heap-in-use leaks but RSS does not (yet) show it. */
export const rssHidesHeapLeakRule: ExplanationRule = {
  name: 'rss-hides-heap-leak',
  applies: (e) =>
    e.heapInUse?.verdict === 'leak' &&
    (e.rss !== undefined || e.rssAnon !== undefined) &&
    e.rss?.verdict !== 'leak' &&
    e.rssAnon?.verdict !== 'leak',
  message: (e) =>
    `RSS alone looks different: it hides a heap leak for now (RSS ${e.rss?.verdict ?? e.rssAnon?.verdict}): ` +
    'glibc reuses retained pages; RSS will grow once they are used up',
};
