import { PyFloat } from './pythonJsonDumps.js';
import { qwen3AsrAddedTokenOffset, type AddedToken } from './qwen3AsrAddedTokens.js';
import type { TwinShape } from './twinShapes.js';

/** Languages Qwen3-ASR's config.json lists; the engine maps `--set language X` through this list. */
const qwen3AsrSupportLanguages: readonly string[] = [
  'Chinese',
  'English',
  'Cantonese',
  'Arabic',
  'German',
  'French',
  'Spanish',
  'Portuguese',
  'Indonesian',
  'Italian',
  'Korean',
  'Russian',
  'Thai',
  'Vietnamese',
  'Japanese',
  'Turkish',
  'Hindi',
  'Malay',
  'Dutch',
  'Swedish',
  'Danish',
  'Finnish',
  'Polish',
  'Czech',
  'Filipino',
  'Persian',
  'Greek',
  'Romanian',
  'Hungarian',
  'Macedonian',
];

/** Key under config.json that marks a file as a twin (random weights), read back by describeModel. */
export const twinNoteKey = 'twin_note';

/**
 * The meta block convert.py embeds (g_model_meta): config.json, tokenizer_config.json and
 * preprocessor_config.json as a Qwen3-ASR checkpoint ships them, plus model_name. Only the fields the
 * Qwen3-ASR loader reads matter to the engine; the rest keep the block the size and look of a real one.
 */
export function buildTwinMeta(shape: TwinShape, addedTokens: readonly AddedToken[], seed: number): Record<string, unknown> {
  const t = shape.text;
  const a = shape.audio;
  const idOf = (content: string): number => shape.normalTokens + qwen3AsrAddedTokenOffset(content);
  const added: Record<string, unknown> = {};
  for (const token of addedTokens) {
    added[String(token.id)] = {
      content: token.content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    };
  }
  return {
    'config.json': {
      architectures: ['Qwen3ASRForConditionalGeneration'],
      model_type: 'qwen3_asr',
      _name_or_path: `leakgate/Qwen3-ASR-${shape.label}-twin`,
      support_languages: qwen3AsrSupportLanguages,
      thinker_config: {
        model_type: 'qwen3_asr',
        audio_config: {
          model_type: 'qwen3_asr_audio_encoder',
          num_mel_bins: a.numMelBins,
          encoder_layers: a.encoderLayers,
          num_hidden_layers: a.encoderLayers,
          encoder_attention_heads: a.encoderAttentionHeads,
          encoder_ffn_dim: a.encoderFfnDim,
          d_model: a.dModel,
          dropout: new PyFloat(0),
          attention_dropout: new PyFloat(0),
          activation_function: 'gelu',
          activation_dropout: new PyFloat(0),
          scale_embedding: false,
          initializer_range: new PyFloat(0.02),
          max_source_positions: a.maxSourcePositions,
          n_window: 50,
          output_dim: t.hiddenSize,
          n_window_infer: 800,
          conv_chunksize: 500,
          downsample_hidden_size: a.downsampleHiddenSize,
        },
        text_config: {
          model_type: 'qwen3',
          architectures: ['Qwen3ForCausalLM'],
          vocab_size: t.vocabRows,
          hidden_size: t.hiddenSize,
          intermediate_size: t.intermediateSize,
          num_hidden_layers: t.numHiddenLayers,
          num_attention_heads: t.numAttentionHeads,
          num_key_value_heads: t.numKeyValueHeads,
          head_dim: t.headDim,
          hidden_act: 'silu',
          max_position_embeddings: t.maxPositionEmbeddings,
          rms_norm_eps: new PyFloat(1e-6),
          rope_theta: new PyFloat(1_000_000),
          attention_bias: false,
          attention_dropout: new PyFloat(0),
          use_cache: true,
          tie_word_embeddings: false,
          bos_token_id: idOf('<|endoftext|>'),
          eos_token_id: idOf('<|im_end|>'),
          rope_scaling: {
            interleaved: true,
            mrope_interleaved: true,
            mrope_section: t.mropeSection,
            rope_type: 'default',
            type: 'default',
          },
        },
        audio_token_id: idOf('<|audio_pad|>'),
        audio_start_token_id: idOf('<|audio_start|>'),
        audio_end_token_id: idOf('<|audio_end|>'),
      },
      [twinNoteKey]: `random-weight twin written by leakgate (shape ${shape.name}, seed ${seed}); NOT a real model`,
    },
    'tokenizer_config.json': {
      add_prefix_space: false,
      added_tokens_decoder: added,
      bos_token: null,
      eos_token: '<|im_end|>',
      pad_token: '<|endoftext|>',
      errors: 'replace',
      model_max_length: 131_072,
      split_special_tokens: false,
      tokenizer_class: 'Qwen2Tokenizer',
      unk_token: null,
    },
    'preprocessor_config.json': {
      feature_extractor_type: 'WhisperFeatureExtractor',
      chunk_length: 30,
      feature_size: 128,
      hop_length: 160,
      n_fft: 400,
      n_samples: 480_000,
      nb_max_frames: 3000,
      padding_side: 'right',
      padding_value: new PyFloat(0),
      return_attention_mask: true,
      sampling_rate: 16_000,
    },
    model_name: `Qwen3-ASR-${shape.label}-twin`,
  };
}
