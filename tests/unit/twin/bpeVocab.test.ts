import { describe, expect, it } from 'vitest';
import { buildBpeVocab, byteLevelAlphabet, encodeBpeVocab, tokenTypes } from '../../../src/twin/bpeVocab.js';
import { qwen3AsrAddedTokens } from '../../../src/twin/qwen3AsrAddedTokens.js';

// GPT-2 byte-level spellings back to bytes, for the symbols the alphabet uses
const toBytes = (text: string): number[] =>
  [...text].map((ch) => ({ '\u0109': 0x09, '\u010a': 0x0a, '\u010d': 0x0d, '\u0120': 0x20 })[ch] ?? ch.charCodeAt(0));

describe('buildBpeVocab', () => {
  const normal = 5000;
  const vocab = buildBpeVocab(normal, qwen3AsrAddedTokens(normal));

  it('has the alphabet, one token per merge, then the added tokens at their ids', () => {
    expect(byteLevelAlphabet).toHaveLength(98);
    expect(vocab.tokens.slice(0, 98).map((t) => t.text)).toEqual(byteLevelAlphabet);
    expect(vocab.merges).toHaveLength(normal - 98);
    expect(vocab.tokens).toHaveLength(normal + 62);
    expect(vocab.tokens[normal]).toEqual({ text: '<|endoftext|>', type: tokenTypes.userDefined });
    expect(vocab.tokens[normal + 1]?.text).toBe('<|im_start|>');
    expect(vocab.tokens[normal + 61]?.text).toBe('<asr_text>');
  });

  it('merges only existing tokens into the token right after the alphabet part', () => {
    const ids = new Map(vocab.tokens.map((t, id) => [t.text, id]));
    expect(ids.size).toBe(vocab.tokens.length); // no duplicate texts
    vocab.merges.forEach((merge, rank) => {
      const [left, right, extra] = merge.split(' ');
      expect(extra).toBeUndefined();
      const joinedId = 98 + rank;
      expect(vocab.tokens[joinedId]?.text).toBe(`${left}${right}`);
      expect(ids.get(left ?? '')).toBeLessThan(joinedId);
      expect(ids.get(right ?? '')).toBeLessThan(98);
    });
  });

  it('decodes every normal token to printable ASCII or whitespace, so output is valid UTF-8', () => {
    for (const token of vocab.tokens.slice(0, normal)) {
      for (const byte of toBytes(token.text)) {
        expect(byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte <= 0x7e)).toBe(true);
      }
    }
  });

  it('is the same for every call (it does not depend on the weight seed)', () => {
    expect(encodeBpeVocab(buildBpeVocab(normal, qwen3AsrAddedTokens(normal))).equals(encodeBpeVocab(vocab))).toBe(true);
  });
});

describe('encodeBpeVocab', () => {
  it('writes (len, bytes, type) records, -1, (len, bytes) merges, -1', () => {
    const buf = encodeBpeVocab({
      tokens: [
        { text: 'a', type: 1 },
        { text: 'Ġ', type: 4 },
      ],
      merges: ['a Ġ'],
    });
    const expected = Buffer.from([
      1, 0, 0, 0, 0x61, 1, 2, 0, 0, 0, 0xc4, 0xa0, 4, 0xff, 0xff, 0xff, 0xff, 4, 0, 0, 0, 0x61, 0x20, 0xc4, 0xa0, 0xff, 0xff, 0xff, 0xff,
    ]);
    expect(buf.equals(expected)).toBe(true);
  });
});
