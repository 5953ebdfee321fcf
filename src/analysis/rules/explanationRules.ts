import type { ExplanationRule } from './ExplanationRule.js';
import { fileBackedGrowthRule } from './fileBackedGrowthRule.js';
import { heapUnavailableRule } from './heapUnavailableRule.js';
import { rssGrowsHeapFlatRule } from './rssGrowsHeapFlatRule.js';
import { rssHidesHeapLeakRule } from './rssHidesHeapLeakRule.js';
import { rssOutrunsHeapRule } from './rssOutrunsHeapRule.js';

/** Cross-signal remarks, each added (in this order) when it applies to a model's evidence. */
export const explanationRules: readonly ExplanationRule[] = [
  rssHidesHeapLeakRule,
  rssOutrunsHeapRule,
  rssGrowsHeapFlatRule,
  fileBackedGrowthRule,
  heapUnavailableRule,
];
