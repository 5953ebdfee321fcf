import { describe, expect, it } from 'vitest';
import { editDistance } from '../../../src/transcript/editDistance.js';

const chars = (text: string): string[] => Array.from(text);

describe('editDistance', () => {
  it('is 0 for equal sequences and the other length against an empty one', () => {
    expect(editDistance(chars('abc'), chars('abc'))).toBe(0);
    expect(editDistance([], [])).toBe(0);
    expect(editDistance(chars('abc'), [])).toBe(3);
    expect(editDistance([], chars('abcd'))).toBe(4);
  });

  it('matches hand-computed distances', () => {
    expect(editDistance(chars('kitten'), chars('sitting'))).toBe(3); // k->s, e->i, +g
    expect(editDistance(chars('flaw'), chars('lawn'))).toBe(2); // -f, +n
    expect(editDistance(chars('intention'), chars('execution'))).toBe(5);
    expect(editDistance(chars('ab'), chars('ba'))).toBe(2); // no transpositions
  });

  it('works on words and is symmetric', () => {
    const a = ['the', 'cat', 'sat'];
    const b = ['the', 'dog', 'sat', 'down'];
    expect(editDistance(a, b)).toBe(2);
    expect(editDistance(b, a)).toBe(2);
  });

  it('agrees with a brute-force recursive definition on small random strings', () => {
    const recursive = (a: string, b: string): number => {
      if (a === '') return b.length;
      if (b === '') return a.length;
      const cost = a[0] === b[0] ? 0 : 1;
      return Math.min(recursive(a.slice(1), b) + 1, recursive(a, b.slice(1)) + 1, recursive(a.slice(1), b.slice(1)) + cost);
    };
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const randomString = (): string => Array.from({ length: Math.floor(random() * 6) }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let trial = 0; trial < 200; trial++) {
      const a = randomString();
      const b = randomString();
      expect(editDistance(chars(a), chars(b)), `${a} vs ${b}`).toBe(recursive(a, b));
    }
  });
});
