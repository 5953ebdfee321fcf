import type { ConfigField } from './configStruct.js';

/** chatllm.cpp's `BaseConfig` (src/chat.h), the first fields of every model's config (dump_llama_like_config). */
export const baseConfigLayout: readonly ConfigField[] = [
  { key: 'dtype', kind: 'i32' },
  { key: 'vocabSize', kind: 'i32' },
  { key: 'hiddenSize', kind: 'i32' },
  { key: 'numAttentionHeads', kind: 'i32' },
  { key: 'numHiddenLayers', kind: 'i32' },
  { key: 'intermediateSize', kind: 'i32' },
  { key: 'maxLength', kind: 'i32' },
  { key: 'bosTokenId', kind: 'i32' },
  { key: 'eosTokenId', kind: 'i32' },
  { key: 'padTokenId', kind: 'i32' },
  { key: 'sepTokenId', kind: 'i32' },
];

/** Fields QWen3Converter.dump_config appends to the base config (`<iiffiiiiiii` then 128 sparse flags). */
export const qwen3ConfigLayout: readonly ConfigField[] = [
  ...baseConfigLayout,
  { key: 'numKeyValueHeads', kind: 'i32' },
  { key: 'headDim', kind: 'i32' },
  { key: 'ropeTheta', kind: 'f32' },
  { key: 'ropeScalingFactor', kind: 'f32' },
  { key: 'ropeScalingOriginalMaxPositionEmbeddings', kind: 'i32' },
  { key: 'decoderSparseStep', kind: 'i32' },
  { key: 'moeIntermediateSize', kind: 'i32' },
  { key: 'numExpertsPerTok', kind: 'i32' },
  { key: 'numExperts', kind: 'i32' },
  { key: 'normTopkProb', kind: 'i32' },
  { key: 'tieWordEmbeddings', kind: 'i32' },
  { key: 'layerIsSparse', kind: 'i32', count: 128 },
];

/** Qwen3ASRConverter.dump_config: the Qwen3 config plus the MRoPE sections padded to 4. */
export const qwen3AsrConfigLayout: readonly ConfigField[] = [...qwen3ConfigLayout, { key: 'mropeSection', kind: 'i32', count: 4 }];
