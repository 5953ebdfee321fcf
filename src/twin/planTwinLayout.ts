import { buildBpeVocab, encodeBpeVocab } from './bpeVocab.js';
import { buildTwinMeta } from './buildTwinMeta.js';
import { qwen3AsrModelTypeId } from './chatllmModelTypes.js';
import { qwen3AsrConfigLayout } from './chatllmConfigLayouts.js';
import { encodeConfigStruct } from './configStruct.js';
import { isTwinTypeName, requireGgmlType, type GgmlType, type TwinTypeName } from './ggmlTypes.js';
import { encodeGgmmMeta, planGgmmLayout, type GgmmLayout } from './ggmmLayout.js';
import { pythonJsonDumps } from './pythonJsonDumps.js';
import { qwen3AsrAddedTokens } from './qwen3AsrAddedTokens.js';
import { planTwinTensors, type TwinTensorSpec } from './twinTensorPlan.js';
import { twinShapeByName, type TwinShape, type TwinShapeName } from './twinShapes.js';

/** What to write: a shape from the registry, the file's ggml type and the weight seed. */
export interface TwinOptions {
  shape: TwinShapeName;
  type: TwinTypeName;
  /** Unsigned 32-bit integer. */
  seed: number;
}

/** A twin fully planned except for its random tensor data. */
export interface TwinLayout {
  shape: TwinShape;
  type: GgmlType;
  seed: number;
  tensors: TwinTensorSpec[];
  layout: GgmmLayout;
}

/** Qwen3ASRConverter's version field after the model type. */
const qwen3AsrFileVersion = 1;

function configSection(shape: TwinShape, type: GgmlType): Buffer {
  const t = shape.text;
  const head = Buffer.alloc(8);
  head.writeInt32LE(qwen3AsrModelTypeId, 0);
  head.writeInt32LE(qwen3AsrFileVersion, 4);
  const struct = encodeConfigStruct(qwen3AsrConfigLayout, {
    dtype: type.id,
    vocabSize: t.vocabRows,
    hiddenSize: t.hiddenSize,
    numAttentionHeads: t.numAttentionHeads,
    numHiddenLayers: t.numHiddenLayers,
    intermediateSize: t.intermediateSize,
    maxLength: t.maxPositionEmbeddings,
    bosTokenId: shape.normalTokens,
    eosTokenId: shape.normalTokens + 2,
    padTokenId: -1,
    sepTokenId: -1,
    numKeyValueHeads: t.numKeyValueHeads,
    headDim: t.headDim,
    ropeTheta: 1_000_000,
    // no yarn: QWen3Converter's placeholders
    ropeScalingFactor: -1,
    ropeScalingOriginalMaxPositionEmbeddings: -1,
    decoderSparseStep: 1,
    moeIntermediateSize: -1,
    numExpertsPerTok: -1,
    numExperts: -1,
    normTopkProb: 0,
    tieWordEmbeddings: 0,
    layerIsSparse: new Array<number>(128).fill(0),
    mropeSection: [...t.mropeSection, ...new Array<number>(4 - t.mropeSection.length).fill(0)],
  });
  return Buffer.concat([head, struct]);
}

/**
 * Plans a twin byte for byte without writing it: the file size is `layout.fileBytes`. Throws a plain
 * Error for an unknown shape or a type twins cannot store (callers validate user input first).
 */
export function planTwinLayout(options: TwinOptions): TwinLayout {
  const shape = twinShapeByName(options.shape);
  if (shape === undefined) throw new Error(`unknown twin shape: ${options.shape}`);
  if (!isTwinTypeName(options.type)) throw new Error(`twins cannot be written as ${options.type}`);
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    throw new Error(`twin seed must be an unsigned 32-bit integer, got ${options.seed}`);
  }
  const type = requireGgmlType(options.type);
  const added = qwen3AsrAddedTokens(shape.normalTokens);
  const meta = encodeGgmmMeta(pythonJsonDumps(buildTwinMeta(shape, added, options.seed)));
  const vocab = encodeBpeVocab(buildBpeVocab(shape.normalTokens, added));
  const tensors = planTwinTensors(shape, type);
  const layout = planGgmmLayout({ meta, config: configSection(shape, type), vocab, tensors });
  return { shape, type, seed: options.seed, tensors, layout };
}
