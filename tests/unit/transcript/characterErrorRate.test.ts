import { describe, expect, it } from 'vitest';
import { characterErrorRate } from '../../../src/transcript/characterErrorRate.js';

describe('characterErrorRate', () => {
  it('is distance over reference code points, in percent', () => {
    expect(characterErrorRate('0900073331', '0900073331')).toBe(0);
    expect(characterErrorRate('0900073331', '0900073332')).toBeCloseTo(10, 10);
    expect(characterErrorRate('kitten', 'sitting')).toBeCloseTo(50, 10); // 3 / 6
    expect(characterErrorRate('零九零', '零九')).toBeCloseTo(100 / 3, 10);
    expect(characterErrorRate('ab', 'abcdef')).toBeCloseTo(200, 10); // 4 insertions / 2
  });

  it('counts code points, not UTF-16 units', () => {
    expect(characterErrorRate('😀a', 'a')).toBeCloseTo(50, 10);
  });

  it('keeps whitespace and punctuation by default', () => {
    expect(characterErrorRate('你好。', '你好')).toBeCloseTo(100 / 3, 10);
    expect(characterErrorRate('a b', 'ab')).toBeCloseTo(100 / 3, 10);
  });

  it('ignores Unicode whitespace and punctuation when asked', () => {
    expect(characterErrorRate('你好，世界。', '你好世界', { ignorePunctuation: true })).toBe(0);
    expect(characterErrorRate('「零九」', '零九', { ignorePunctuation: true })).toBe(0);
    expect(characterErrorRate('零\u3000九 零', '零九零', { ignoreWhitespace: true })).toBe(0);
    expect(characterErrorRate('a b', 'ab', { ignorePunctuation: true })).toBeCloseTo(100 / 3, 10);
    expect(characterErrorRate('1+1', '11', { ignorePunctuation: true })).toBeCloseTo(100 / 3, 10); // + is a symbol
  });

  it('handles an empty reference', () => {
    expect(characterErrorRate('', '')).toBe(0);
    expect(characterErrorRate('', 'abc')).toBe(100);
    expect(characterErrorRate('。', '', { ignorePunctuation: true })).toBe(0);
  });
});
