import { editDistance } from './editDistance.js';

/**
 * The figure the users' seed script printed as "WER (%)". Despite the name it is a character
 * error rate: Levenshtein distance between `list(reference)` and `list(hypothesis)` (Python
 * lists of code points, nothing ignored) divided by max(len(reference), 1), times 100; 0 when the
 * reference is empty. Pass the normalised hypothesis (normalizeTranscript(...).itn) and the truth
 * as the seed did: '0900073331' vs '0900073331' -> 0, one digit wrong -> 10.
 */
export function seedWerPercent(reference: string, hypothesis: string): number {
  const referenceChars = Array.from(reference);
  if (referenceChars.length === 0) return 0;
  return (editDistance(referenceChars, Array.from(hypothesis)) / Math.max(referenceChars.length, 1)) * 100;
}
