/**
 * The public verdicts: `leak` (memory keeps growing after warm-up, beyond the noise floor),
 * `plateau` (it grew during warm-up, then levelled off: allocator or pool retention), `clean`.
 */
export const VERDICTS = ['leak', 'plateau', 'clean'] as const;
export type Verdict = (typeof VERDICTS)[number];
