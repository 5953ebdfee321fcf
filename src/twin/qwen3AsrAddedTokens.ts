/** One entry of tokenizer_config.json's `added_tokens_decoder`. */
export interface AddedToken {
  id: number;
  content: string;
}

// Qwen3's special tokens in id order from <|endoftext|>; the ASR model appends its audio tokens.
// Slots whose upstream name the loader never looks up are filled with reserved names.
const named: ReadonlyMap<number, string> = new Map([
  [0, '<|endoftext|>'],
  [1, '<|im_start|>'],
  [2, '<|im_end|>'],
  [3, '<|object_ref_start|>'],
  [4, '<|object_ref_end|>'],
  [5, '<|box_start|>'],
  [6, '<|box_end|>'],
  [7, '<|quad_start|>'],
  [8, '<|quad_end|>'],
  [9, '<|vision_start|>'],
  [10, '<|vision_end|>'],
  [11, '<|vision_pad|>'],
  [12, '<|image_pad|>'],
  [13, '<|video_pad|>'],
  [14, '<tool_call>'],
  [15, '</tool_call>'],
  [16, '<|fim_prefix|>'],
  [17, '<|fim_middle|>'],
  [18, '<|fim_suffix|>'],
  [19, '<|fim_pad|>'],
  [20, '<|repo_name|>'],
  [21, '<|file_sep|>'],
  [22, '<tool_response>'],
  [23, '</tool_response>'],
  [24, '<think>'],
  [25, '</think>'],
  [26, '<|audio_start|>'],
  [27, '<|audio_end|>'],
  [33, '<|audio_pad|>'],
  [61, '<asr_text>'],
]);

/** Number of added tokens Qwen3-ASR declares (ids endoftext .. <asr_text>). */
const qwen3AsrAddedTokenCount = 62;

/**
 * Qwen3-ASR's added tokens, starting at `endOfTextId`. The loader needs `<|audio_start|>`, `<|audio_end|>`,
 * `<|im_start|>`, `<|im_end|>` and `<asr_text>`, and Qwen's tokenizer takes `<|im_start|>` - 1 as eos.
 */
export function qwen3AsrAddedTokens(endOfTextId: number): AddedToken[] {
  return Array.from({ length: qwen3AsrAddedTokenCount }, (_, offset) => ({
    id: endOfTextId + offset,
    content: named.get(offset) ?? `<|twin_reserved_${offset}|>`,
  }));
}

/** Offset from `<|endoftext|>` of a named added token; throws if the name is not one of Qwen3-ASR's. */
export function qwen3AsrAddedTokenOffset(content: string): number {
  for (const [offset, name] of named) if (name === content) return offset;
  throw new Error(`not a Qwen3-ASR added token: ${content}`);
}
