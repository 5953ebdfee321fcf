import { editDistance } from './editDistance.js';

export interface CharacterErrorRateOptions {
  /** Drop Unicode White_Space characters (`\s`, including the ideographic space U+3000) first. */
  ignoreWhitespace?: boolean;
  /** Drop Unicode punctuation (General_Category P*: ，。、「」!?.,'" and so on) first; symbols (\p{S}) are kept. */
  ignorePunctuation?: boolean;
}

/**
 * Character error rate in percent: Levenshtein distance over Unicode code points divided by the
 * reference length, times 100. By default nothing is ignored and case is kept. It can exceed 100
 * (insertions). An empty reference (after filtering) gives 0 for an empty hypothesis, else 100.
 */
export function characterErrorRate(
  reference: string,
  hypothesis: string,
  options: CharacterErrorRateOptions = {},
): number {
  const referenceChars = charactersOf(reference, options);
  const hypothesisChars = charactersOf(hypothesis, options);
  if (referenceChars.length === 0) return hypothesisChars.length === 0 ? 0 : 100;
  return (editDistance(referenceChars, hypothesisChars) / referenceChars.length) * 100;
}

function charactersOf(text: string, options: CharacterErrorRateOptions): string[] {
  return Array.from(text).filter(
    (char) => !(options.ignoreWhitespace && /\s/u.test(char)) && !(options.ignorePunctuation && /\p{P}/u.test(char)),
  );
}
