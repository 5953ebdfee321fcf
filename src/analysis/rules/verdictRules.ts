import { cleanRule } from './cleanRule.js';
import { insufficientDataRule } from './insufficientDataRule.js';
import { leakRule } from './leakRule.js';
import { plateauRule } from './plateauRule.js';
import type { VerdictRule } from './VerdictRule.js';

/**
 * The verdict chain for one signal, evaluated in order; the first match decides. Leak comes before
 * plateau so that a warm-up never hides a leak that continues after it. cleanRule always matches.
 */
export const verdictRules: readonly VerdictRule[] = [insufficientDataRule, leakRule, plateauRule, cleanRule];
