import type { ExplanationRule } from './ExplanationRule.js';

/** RSS grows but anonymous memory does not: the growth is file-backed pages such as the mmapped model. */
export const fileBackedGrowthRule: ExplanationRule = {
  name: 'file-backed-growth',
  applies: (e) => e.rss?.verdict === 'leak' && e.rssAnon !== undefined && e.rssAnon.verdict !== 'leak',
  message: () =>
    'RSS grows but RssAnon does not: the growth is file-backed pages (e.g. the mmapped model file), which the kernel can drop',
};
