import type { GgmlType } from './ggmlTypes.js';
import { tensorGgmlType } from './tensorGgmlType.js';
import type { TwinShape } from './twinShapes.js';

/** How a tensor's random values are drawn: matrices small around 0, norm scales around 1, biases near 0. */
export type TwinTensorInit = 'matrix' | 'normScale' | 'bias';

/** One tensor record of a twin: name and dims as Qwen3ASRConverter writes them (outermost first). */
export interface TwinTensorSpec {
  name: string;
  dims: number[];
  type: GgmlType;
  init: TwinTensorInit;
}

interface Draft {
  name: string;
  dims: number[];
}

const initFor = (draft: Draft): TwinTensorInit => {
  if (draft.dims.length > 1) return 'matrix';
  return /(norm|ln_post)\.weight$/.test(draft.name) ? 'normScale' : 'bias';
};

function textTensors(shape: TwinShape): Draft[] {
  const t = shape.text;
  const qDim = t.numAttentionHeads * t.headDim;
  const kvDim = t.numKeyValueHeads * t.headDim;
  const drafts: Draft[] = [{ name: 'model.embed_tokens.weight', dims: [t.vocabRows, t.hiddenSize] }];
  for (let i = 0; i < t.numHiddenLayers; i++) {
    const p = `model.layers.${i}.`;
    drafts.push(
      { name: `${p}input_layernorm.weight`, dims: [t.hiddenSize] },
      { name: `${p}post_attention_layernorm.weight`, dims: [t.hiddenSize] },
      { name: `${p}self_attn.q_proj.weight`, dims: [qDim, t.hiddenSize] },
      { name: `${p}self_attn.k_proj.weight`, dims: [kvDim, t.hiddenSize] },
      { name: `${p}self_attn.v_proj.weight`, dims: [kvDim, t.hiddenSize] },
      { name: `${p}self_attn.o_proj.weight`, dims: [t.hiddenSize, qDim] },
      { name: `${p}self_attn.q_norm.weight`, dims: [t.headDim] },
      { name: `${p}self_attn.k_norm.weight`, dims: [t.headDim] },
      { name: `${p}mlp.gate_proj.weight`, dims: [t.intermediateSize, t.hiddenSize] },
      { name: `${p}mlp.up_proj.weight`, dims: [t.intermediateSize, t.hiddenSize] },
      { name: `${p}mlp.down_proj.weight`, dims: [t.hiddenSize, t.intermediateSize] },
    );
  }
  // Qwen3ASRConverter forces tie_word_embeddings off, so lm_head is always stored
  drafts.push({ name: 'model.norm.weight', dims: [t.hiddenSize] }, { name: 'lm_head.weight', dims: [t.vocabRows, t.hiddenSize] });
  return drafts;
}

function audioTensors(shape: TwinShape): Draft[] {
  const a = shape.audio;
  const ds = a.downsampleHiddenSize;
  // three stride-2 convolutions over the mel bins, as AudioEmbedding sizes conv_out
  const melAfterConvs = Math.floor((Math.floor((Math.floor((a.numMelBins + 1) / 2) + 1) / 2) + 1) / 2);
  const drafts: Draft[] = [
    { name: 'audio.conv2d1.weight', dims: [ds, 1, 3, 3] },
    { name: 'audio.conv2d1.bias', dims: [ds] },
    { name: 'audio.conv2d2.weight', dims: [ds, ds, 3, 3] },
    { name: 'audio.conv2d2.bias', dims: [ds] },
    { name: 'audio.conv2d3.weight', dims: [ds, ds, 3, 3] },
    { name: 'audio.conv2d3.bias', dims: [ds] },
    { name: 'audio.conv_out.weight', dims: [a.dModel, ds * melAfterConvs] },
    { name: 'audio.ln_post.weight', dims: [a.dModel] },
    { name: 'audio.ln_post.bias', dims: [a.dModel] },
    { name: 'multi_modal_projector.proj1.weight', dims: [a.dModel, a.dModel] },
    { name: 'multi_modal_projector.proj1.bias', dims: [a.dModel] },
    { name: 'multi_modal_projector.proj2.weight', dims: [shape.text.hiddenSize, a.dModel] },
    { name: 'multi_modal_projector.proj2.bias', dims: [shape.text.hiddenSize] },
  ];
  for (let i = 0; i < a.encoderLayers; i++) {
    const p = `audio.layers.${i}.`;
    for (const proj of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) {
      drafts.push(
        { name: `${p}self_attn.${proj}.weight`, dims: [a.dModel, a.dModel] },
        { name: `${p}self_attn.${proj}.bias`, dims: [a.dModel] },
      );
    }
    drafts.push(
      { name: `${p}input_layernorm.weight`, dims: [a.dModel] },
      { name: `${p}input_layernorm.bias`, dims: [a.dModel] },
      { name: `${p}post_attention_layernorm.weight`, dims: [a.dModel] },
      { name: `${p}post_attention_layernorm.bias`, dims: [a.dModel] },
      { name: `${p}mlp.fc0.weight`, dims: [a.encoderFfnDim, a.dModel] },
      { name: `${p}mlp.fc0.bias`, dims: [a.encoderFfnDim] },
      { name: `${p}mlp.fc1.weight`, dims: [a.dModel, a.encoderFfnDim] },
      { name: `${p}mlp.fc1.bias`, dims: [a.dModel] },
    );
  }
  return drafts;
}

/**
 * Every tensor of a Qwen3-ASR model of this shape, with chatllm.cpp's names (after Qwen3ASRConverter's
 * renames: audio_tower -> audio, fc1/fc2 -> mlp.fc0/fc1, proj1/proj2 -> multi_modal_projector) and the
 * storage type convert.py would choose for a file of `fileType`.
 */
export function planTwinTensors(shape: TwinShape, fileType: GgmlType): TwinTensorSpec[] {
  return [...textTensors(shape), ...audioTensors(shape)].map((d) => ({
    ...d,
    type: tensorGgmlType(d.dims, fileType),
    init: initFor(d),
  }));
}
