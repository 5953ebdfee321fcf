/**
 * The public verdicts, worst first (a run takes the worst verdict of its models and of the process):
 * - `leak`: memory keeps growing after warm-up, beyond the noise floor;
 * - `undecided`: too few switches, missing samples, or a run that stopped early, or a rise that has
 *   only just levelled off: never reported clean without evidence;
 * - `plateau`: it grew during warm-up, then levelled off (allocator or pool retention);
 * - `clean`.
 */
export const VERDICTS = ['leak', 'undecided', 'plateau', 'clean'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The worst of some verdicts (VERDICTS order); `clean` for none. */
export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst = VERDICTS.length - 1;
  for (const verdict of verdicts) worst = Math.min(worst, VERDICTS.indexOf(verdict));
  return VERDICTS[worst]!;
}

/** Sorts worst verdict first, keeping the given order within a verdict. */
export function worstFirst<T extends { verdict: Verdict }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => VERDICTS.indexOf(a.verdict) - VERDICTS.indexOf(b.verdict));
}
