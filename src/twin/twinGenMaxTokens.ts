/**
 * Tokens Qwen3-ASR writes before the transcript: `language Chinese<asr_text>` (three tokens), plus its end
 * of text, rounded up.
 */
export const ASR_ANSWER_OVERHEAD_TOKENS = 8;
/**
 * Tokens per character of the truth, with a margin: Qwen's tokenizer splits digits one per token and writes
 * most CJK characters as one token; the 1.5 covers a numeral written as words or a repeated character.
 */
export const TOKENS_PER_TRUTH_CHARACTER = 1.5;
/** Without a truth: a few seconds of speech (the seed's recording is 10 digits, 23 tokens by the rule above). */
export const TWIN_GEN_MAX_TOKENS_WITHOUT_TRUTH = 32;

/**
 * A twin has random weights: it never writes its end of text, so it generates until --gen-max-tokens
 * (256: ~2,300 characters, 90 % of a switch's time on the 0.6B/1.7B twins) where the real model answers
 * with the truth's length. This is the real model's answer for the truth: its characters (spaces
 * excluded) times TOKENS_PER_TRUTH_CHARACTER, plus ASR_ANSWER_OVERHEAD_TOKENS.
 */
export function twinGenMaxTokens(truth: string | null): number {
  if (truth === null || truth.trim() === '') return TWIN_GEN_MAX_TOKENS_WITHOUT_TRUTH;
  const characters = [...truth.replace(/\s+/g, '')].length;
  return Math.ceil(characters * TOKENS_PER_TRUTH_CHARACTER) + ASR_ANSWER_OVERHEAD_TOKENS;
}
