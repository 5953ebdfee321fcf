/** Dimensions of the Qwen3 text decoder inside Qwen3-ASR (`thinker_config.text_config`). */
export interface TwinTextShape {
  hiddenSize: number;
  intermediateSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  headDim: number;
  /** Rows of the embedding and lm_head matrices (`vocab_size`), padded past the last real token. */
  vocabRows: number;
  maxPositionEmbeddings: number;
  /** MRoPE sections; they sum to headDim / 2. */
  mropeSection: readonly number[];
}

/** Dimensions of the Whisper-like audio encoder (`thinker_config.audio_config`). */
export interface TwinAudioShape {
  dModel: number;
  encoderLayers: number;
  encoderAttentionHeads: number;
  encoderFfnDim: number;
  downsampleHiddenSize: number;
  numMelBins: number;
  maxSourcePositions: number;
}

/** Names of the shapes in the registry below. */
export type TwinShapeName = 'tiny' | '0.6b' | '1.7b';

/** One twin size: the real architecture's dimensions. */
export interface TwinShape {
  name: TwinShapeName;
  /** How `describeModel` names it, e.g. "0.6B". */
  label: string;
  text: TwinTextShape;
  audio: TwinAudioShape;
  /** Byte-level BPE tokens before `<|endoftext|>` (ids 0 .. normalTokens-1). */
  normalTokens: number;
}

const realVocab = { vocabRows: 151_936, maxPositionEmbeddings: 65_536 };
const realAudio = { downsampleHiddenSize: 480, numMelBins: 128, maxSourcePositions: 1500 };

/**
 * The shapes leakgate can write. 0.6B/1.7B follow Qwen/Qwen3-ASR-0.6B and -1.7B; with convert.py's
 * quantisation rules they reproduce upstream's published file sizes to within the header and vocabulary
 * bytes. `tiny` mirrors the structure of the small twin upstream's converter wrote (2 text layers, 1 audio layer).
 */
export const twinShapes: readonly TwinShape[] = [
  {
    name: 'tiny',
    label: 'tiny',
    text: {
      hiddenSize: 64,
      intermediateSize: 128,
      numHiddenLayers: 2,
      numAttentionHeads: 2,
      numKeyValueHeads: 1,
      headDim: 32,
      vocabRows: 576,
      maxPositionEmbeddings: 65_536,
      mropeSection: [6, 5, 5],
    },
    audio: {
      dModel: 64,
      encoderLayers: 1,
      encoderAttentionHeads: 2,
      encoderFfnDim: 128,
      downsampleHiddenSize: 32,
      numMelBins: 128,
      maxSourcePositions: 1500,
    },
    normalTokens: 498,
  },
  {
    name: '0.6b',
    label: '0.6B',
    text: {
      hiddenSize: 1024,
      intermediateSize: 3072,
      numHiddenLayers: 28,
      numAttentionHeads: 16,
      numKeyValueHeads: 8,
      headDim: 128,
      ...realVocab,
      mropeSection: [24, 20, 20],
    },
    audio: { dModel: 896, encoderLayers: 18, encoderAttentionHeads: 14, encoderFfnDim: 3584, ...realAudio },
    normalTokens: 151_643,
  },
  {
    name: '1.7b',
    label: '1.7B',
    text: {
      hiddenSize: 2048,
      intermediateSize: 6144,
      numHiddenLayers: 28,
      numAttentionHeads: 16,
      numKeyValueHeads: 8,
      headDim: 128,
      ...realVocab,
      mropeSection: [24, 20, 20],
    },
    audio: { dModel: 1024, encoderLayers: 24, encoderAttentionHeads: 16, encoderFfnDim: 4096, ...realAudio },
    normalTokens: 151_643,
  },
];

/** Names accepted by `leakgate twin --shape`. */
export const twinShapeNames: readonly TwinShapeName[] = twinShapes.map((s) => s.name);

/** Narrows user input to a registered shape name. */
export function isTwinShapeName(text: string): text is TwinShapeName {
  return (twinShapeNames as readonly string[]).includes(text);
}

/** The shape with this name, or undefined. */
export function twinShapeByName(name: string): TwinShape | undefined {
  return twinShapes.find((s) => s.name === name);
}
