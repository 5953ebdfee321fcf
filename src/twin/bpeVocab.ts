import { Xorshift128 } from './Xorshift128.js';
import type { AddedToken } from './qwen3AsrAddedTokens.js';

/** Token type byte convert.py writes after each token (its `TokenType` enum). */
export const tokenTypes = { normal: 1, userDefined: 4 } as const;

export interface BpeToken {
  text: string;
  type: number;
}

/** A byte-level BPE vocabulary as chatllm.cpp's BPEProcessor2 loads it: tokens in id order, then merges. */
export interface BpeVocab {
  tokens: BpeToken[];
  /** "left right" pairs in rank order. */
  merges: string[];
}

/**
 * The base symbols: GPT-2 byte-level spellings of tab, newline, carriage return and space (ĉ Ċ č Ġ),
 * then printable ASCII. Leaving out every other byte means whatever a random model samples decodes
 * to valid UTF-8, which the streamer would otherwise withhold.
 */
export const byteLevelAlphabet: readonly string[] = [
  '\u0109',
  '\u010a',
  '\u010d',
  '\u0120',
  ...Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)),
];

// Fixed so the vocabulary is the same for every weight seed.
const vocabSeed = 0x51776e33;

/**
 * A synthetic vocabulary with `normalTokens` ordinary tokens (the alphabet, then one token per merge),
 * followed by `addedTokens` as user-defined tokens at their ids. Each merge joins an existing token
 * and one alphabet symbol, picked at random, so token lengths spread like a real BPE vocabulary's.
 */
export function buildBpeVocab(normalTokens: number, addedTokens: readonly AddedToken[]): BpeVocab {
  if (normalTokens < byteLevelAlphabet.length) {
    throw new Error(`a vocabulary needs at least ${byteLevelAlphabet.length} normal tokens`);
  }
  const texts = [...byteLevelAlphabet];
  const seen = new Set(texts);
  const merges: string[] = [];
  const rng = new Xorshift128(vocabSeed, 'bpe');
  while (texts.length < normalTokens) {
    const left = texts[rng.nextBelow(texts.length)] ?? '';
    const right = byteLevelAlphabet[rng.nextBelow(byteLevelAlphabet.length)] ?? '';
    const joined = left + right;
    if (seen.has(joined)) continue;
    seen.add(joined);
    texts.push(joined);
    merges.push(`${left} ${right}`);
  }
  const tokens: BpeToken[] = texts.map((text) => ({ text, type: tokenTypes.normal }));
  for (const added of addedTokens) {
    if (added.id !== tokens.length) throw new Error(`added token ${added.content} must have id ${tokens.length}`);
    tokens.push({ text: added.content, type: tokenTypes.userDefined });
  }
  return { tokens, merges };
}

/**
 * The vocabulary section as GenericBPETokenizerVocab.write_vocab writes it: for each token
 * (i32 length, UTF-8 bytes, u8 type), i32 -1, then each merge (i32 length, bytes), i32 -1.
 */
export function encodeBpeVocab(vocab: BpeVocab): Buffer {
  // one pass to size, one to write: 300k small Buffers would cost ~100 MB of transient memory
  let total = 8;
  for (const token of vocab.tokens) total += 5 + Buffer.byteLength(token.text, 'utf8');
  for (const merge of vocab.merges) total += 4 + Buffer.byteLength(merge, 'utf8');
  const buf = Buffer.alloc(total);
  let at = 0;
  const writeText = (text: string): void => {
    const length = buf.write(text, at + 4, 'utf8');
    buf.writeInt32LE(length, at);
    at += 4 + length;
  };
  for (const token of vocab.tokens) {
    writeText(token.text);
    at = buf.writeUInt8(token.type, at);
  }
  at = buf.writeInt32LE(-1, at);
  for (const merge of vocab.merges) writeText(merge);
  at = buf.writeInt32LE(-1, at);
  if (at !== total) throw new Error(`vocabulary encoded to ${at} bytes, sized ${total}`);
  return buf;
}
