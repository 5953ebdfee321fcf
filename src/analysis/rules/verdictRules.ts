import { cleanRule } from './cleanRule.js';
import { insufficientDataRule } from './insufficientDataRule.js';
import { leakRule } from './leakRule.js';
import { levelledOffRule, levellingOffRule } from './levelledOffRule.js';
import { plateauRule } from './plateauRule.js';
import type { VerdictRule } from './VerdictRule.js';

/**
 * The verdict chain for one signal, evaluated in order; the first match decides. A rise that has
 * levelled off is judged before the leak rule, so an old rise is not called a leak; the leak rule comes
 * before plateau so that a warm-up never hides a leak that continues after it. cleanRule always matches.
 */
export const verdictRules: readonly VerdictRule[] = [
  insufficientDataRule,
  levelledOffRule,
  levellingOffRule,
  leakRule,
  plateauRule,
  cleanRule,
];
