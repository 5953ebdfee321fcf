import { editDistance } from './editDistance.js';

export interface WordErrorRateOptions {
  /** Compare words lower-cased (locale-independent toLowerCase). */
  ignoreCase?: boolean;
  /** Remove Unicode punctuation (\p{P}) before splitting, so `recognition.` matches `recognition`. */
  ignorePunctuation?: boolean;
}

/**
 * Word error rate in percent for space-separated languages (English): Levenshtein distance over
 * whitespace-separated words divided by the number of reference words, times 100. Not meaningful
 * for Chinese, which has no spaces between words: use characterErrorRate there. An empty
 * reference gives 0 for an empty hypothesis, else 100.
 */
export function wordErrorRate(reference: string, hypothesis: string, options: WordErrorRateOptions = {}): number {
  const referenceWords = wordsOf(reference, options);
  const hypothesisWords = wordsOf(hypothesis, options);
  if (referenceWords.length === 0) return hypothesisWords.length === 0 ? 0 : 100;
  return (editDistance(referenceWords, hypothesisWords) / referenceWords.length) * 100;
}

function wordsOf(text: string, options: WordErrorRateOptions): string[] {
  let prepared = options.ignoreCase ? text.toLowerCase() : text;
  if (options.ignorePunctuation) prepared = prepared.replace(/\p{P}/gu, '');
  return prepared.split(/\s+/u).filter((word) => word !== '');
}
