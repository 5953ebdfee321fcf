import { describe, expect, it } from 'vitest';
import { wordErrorRate } from '../../../src/transcript/wordErrorRate.js';

describe('wordErrorRate', () => {
  it('is word-level distance over reference words, in percent', () => {
    expect(wordErrorRate('the cat sat', 'the cat sat')).toBe(0);
    expect(wordErrorRate('the cat sat', 'the cat sat down')).toBeCloseTo(100 / 3, 10);
    expect(wordErrorRate('the cat sat on the mat', 'the bat sat on mat')).toBeCloseTo(200 / 6, 10);
    expect(wordErrorRate('a b', 'c d e f')).toBeCloseTo(200, 10); // 2 substitutions + 2 insertions
  });

  it('splits on any run of whitespace', () => {
    expect(wordErrorRate('  hello   world\n', 'hello\tworld')).toBe(0);
  });

  it('is case and punctuation sensitive unless told otherwise', () => {
    const truth = 'Hello, this is a short test of speech recognition.';
    const heard = 'hello this is a short test of speech recognition';
    expect(wordErrorRate(truth, heard)).toBeCloseTo(200 / 9, 10); // "Hello," and "recognition."
    expect(wordErrorRate(truth, heard, { ignoreCase: true })).toBeCloseTo(200 / 9, 10);
    expect(wordErrorRate(truth, heard, { ignorePunctuation: true })).toBeCloseTo(100 / 9, 10);
    expect(wordErrorRate(truth, heard, { ignoreCase: true, ignorePunctuation: true })).toBe(0);
  });

  it('handles an empty reference', () => {
    expect(wordErrorRate('', '  ')).toBe(0);
    expect(wordErrorRate('', 'word')).toBe(100);
  });
});
