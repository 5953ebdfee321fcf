import { open } from 'node:fs/promises';
import { usageError } from '../errors.js';
import { twinNoteKey } from '../twin/buildTwinMeta.js';
import { chatllmModelTypeById } from '../twin/chatllmModelTypes.js';
import { ggmlTypeById } from '../twin/ggmlTypes.js';
import { readGgmm, type GgmmFile } from './readGgmm.js';
import { twinShapes, type TwinShape } from '../twin/twinShapes.js';
import { formatDecimalBytes } from '../units.js';

const hex = (id: number): string => `0x${id.toString(16)}`;

function child(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The registry shape whose text and audio dimensions this file has, if any. */
function matchShape(file: GgmmFile): TwinShape | undefined {
  const audio = child(child(child(file.meta, 'config.json'), 'thinker_config'), 'audio_config');
  return twinShapes.find(
    (s) =>
      file.config.hiddenSize === s.text.hiddenSize &&
      file.config.numHiddenLayers === s.text.numHiddenLayers &&
      file.config.intermediateSize === s.text.intermediateSize &&
      file.config.vocabSize === s.text.vocabRows &&
      child(audio, 'd_model') === s.audio.dModel &&
      child(audio, 'encoder_layers') === s.audio.encoderLayers,
  );
}

function describeGgmm(file: GgmmFile): string {
  const isTwin = child(file.meta, 'config.json') !== undefined && child(child(file.meta, 'config.json'), twinNoteKey) !== undefined;
  const modelName = child(file.meta, 'model_name');
  const kind = file.modelTypeName ?? (typeof modelName === 'string' ? modelName : `chatllm.cpp model type ${hex(file.modelType)}`);
  const parts = [isTwin ? `${kind} twin` : kind];
  if (file.modelTypeName === 'Qwen3-ASR') {
    const shape = matchShape(file);
    parts.push(
      shape !== undefined
        ? `${shape.label} shape`
        : `custom shape (hidden ${String(file.config.hiddenSize)}, ${String(file.config.numHiddenLayers)} layers)`,
    );
  }
  const dtype = typeof file.config.dtype === 'number' ? ggmlTypeById(file.config.dtype) : undefined;
  parts.push(dtype?.name ?? `ggml type ${String(file.config.dtype)}`, formatDecimalBytes(file.fileBytes));
  return parts.join(', ');
}

/**
 * One line for `leakgate doctor`, e.g. "Qwen3-ASR, 0.6B shape, q4_0, 538.9 MB" or
 * "Qwen3-ASR twin, tiny shape, q4_0, 191.1 kB". Resolves to null when the file is not a chatllm.cpp
 * model at all; throws LeakgateError when it is missing, unreadable, or a corrupt GGMM file.
 */
export async function describeModel(path: string): Promise<string | null> {
  let magic: string;
  let legacyType: number | undefined;
  let fileBytes: number;
  try {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(8);
      const { bytesRead } = await handle.read(head, 0, 8, 0);
      magic = head.toString('latin1', 0, Math.min(4, bytesRead));
      legacyType = bytesRead >= 8 ? head.readUInt32LE(4) : undefined;
      fileBytes = (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  } catch {
    throw usageError(`model file not found or unreadable: ${path} (pass the path of a chatllm.cpp model file)`);
  }
  if (magic === 'ggml') {
    // legacy files start with the model type right after the magic and carry no meta JSON
    const known = legacyType === undefined ? undefined : chatllmModelTypeById(legacyType);
    const typeText = known?.name ?? (legacyType === undefined ? 'unknown type' : `type ${hex(legacyType)}`);
    return `chatllm.cpp model (legacy format), ${typeText}, ${formatDecimalBytes(fileBytes)}`;
  }
  if (magic !== 'ggmm') return null;
  return describeGgmm(await readGgmm(path));
}
