import type { Verdict } from '../../analysis/Verdict.js';

const SEVERITY: readonly Verdict[] = ['leak', 'plateau', 'clean'];

/** The models sorted worst verdict first (leak, plateau, clean), run order kept within a verdict. */
export function worstFirst<T extends { verdict: Verdict }>(models: readonly T[]): T[] {
  return [...models].sort((a, b) => SEVERITY.indexOf(a.verdict) - SEVERITY.indexOf(b.verdict));
}
