/**
 * What a model file is — a leakgate reference model, a chatllm.cpp model (GGMM or legacy "ggml"), a
 * twin (a GGMM model `leakgate twin` wrote), or not a model — decided in one place, for `run`'s
 * configuration, `doctor` and the engine checks alike: the same answer and the same fix for one file.
 */
import { stat } from 'node:fs/promises';
import { LeakgateError, usageError } from '../errors.js';
import { nonRegularKind } from '../files/fileKind.js';
import { readFileHead } from '../files/readFileHead.js';
import { describeRefModelSpec } from '../refmodel/describeRefModelSpec.js';
import { hasRefModelMagic } from '../refmodel/decodeRefModelHeader.js';
import { readRefModelHeader } from '../refmodel/readRefModelHeader.js';
import { twinNoteKey } from '../twin/buildTwinMeta.js';
import { chatllmModelTypeById } from '../twin/chatllmModelTypes.js';
import { ggmlTypeById } from '../twin/ggmlTypes.js';
import { ggmmHeaderBytes, ggmmMagic } from '../twin/ggmmLayout.js';
import { twinShapes, type TwinShape } from '../twin/twinShapes.js';
import { formatDecimalBytes } from '../units.js';
import { readGgmm, type GgmmFile } from './readGgmm.js';

/** A model file as identified: its kind and one line saying what its header describes. */
export interface ModelFile {
  path: string;
  sizeBytes: number;
  /** `reference`: leakgate's reference engine loads it; `model` and `twin`: chatllm.cpp does. */
  kind: 'reference' | 'twin' | 'model';
  /** e.g. "Qwen3-ASR twin, tiny shape, q4_0, 191.1 kB", "leakgate reference model, 1MiB file, ...". */
  description: string;
}

/** The fix for a file that is not a model the engines load. */
const MODEL_FIX = "convert it with chatllm.cpp's convert.py, or make a reference model with leakgate make-ref-model";
/** The fix for a path that names no model file. */
const PATH_FIX = 'pass --model PATH (repeatable) or set LEAKGATE_MODELS=a.bin,b.bin';
/** chatllm.cpp's legacy magic (src/models.cpp, load_file_header): loaded, its header not read further. */
const LEGACY_MAGIC = 'ggml';

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

/** A file `leakgate twin` wrote: its config.json carries the twin note. */
function isTwin(file: GgmmFile): boolean {
  const config = child(file.meta, 'config.json');
  return typeof config === 'object' && config !== null && twinNoteKey in config;
}

function describeGgmm(file: GgmmFile): string {
  const modelName = child(file.meta, 'model_name');
  const kind = file.modelTypeName ?? (typeof modelName === 'string' ? modelName : `chatllm.cpp model type ${hex(file.modelType)}`);
  const parts = [isTwin(file) ? `${kind} twin` : kind];
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
 * Identifies a model file from its header: the first bytes once, then the header of its format (the
 * reference model's, or the GGMM sections and tensor table, never the tensor data). Throws a usage
 * error (exit 2) naming the file and the fix when it is missing, not a regular file, unreadable,
 * empty, not a model, or a truncated or corrupt one.
 */
export async function identifyModelFile(path: string): Promise<ModelFile> {
  const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? usageError(`model file not found: ${path} (${PATH_FIX})`) : unreadable(path, error);
  });
  if (stats.isDirectory()) throw usageError(`model path is not a file: ${path} (${PATH_FIX})`);
  const other = nonRegularKind(stats);
  if (other) throw usageError(`model file ${path} is ${other}, not a regular file (${PATH_FIX})`);
  if (stats.size === 0) throw usageError(`model file is empty: ${path} (0 bytes; ${MODEL_FIX})`);
  const head = await readFileHead(path).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(path, error);
  });
  const sizeBytes = stats.size;
  if (hasRefModelMagic(head)) {
    const spec = (await readRefModelHeader(path))!;
    return { path, sizeBytes, kind: 'reference', description: `leakgate reference model, ${describeRefModelSpec(spec)}` };
  }
  const magic = head.toString('latin1', 0, 4);
  if (magic === ggmmMagic) {
    if (sizeBytes < ggmmHeaderBytes) {
      throw usageError(`model file truncated: ${path} is ${sizeBytes} bytes, less than a GGMM header (${ggmmHeaderBytes}; ${MODEL_FIX})`);
    }
    const file = await readGgmm(path);
    return { path, sizeBytes, kind: isTwin(file) ? 'twin' : 'model', description: describeGgmm(file) };
  }
  if (magic === LEGACY_MAGIC) {
    const legacyType = head.length >= 8 ? head.readUInt32LE(4) : undefined;
    const known = legacyType === undefined ? undefined : chatllmModelTypeById(legacyType);
    const typeText = known?.name ?? (legacyType === undefined ? 'unknown type' : `type ${hex(legacyType)}`);
    return {
      path,
      sizeBytes,
      kind: 'model',
      description: `chatllm.cpp model (legacy format), ${typeText}, ${formatDecimalBytes(sizeBytes)}`,
    };
  }
  throw usageError(
    `not a model file: ${path} (starts with ${JSON.stringify(head.toString('latin1', 0, 8))}, expected chatllm.cpp's "ggmm" or a ` +
      `reference model's "LGREFMDL"; ${MODEL_FIX})`,
  );
}

function unreadable(path: string, error: NodeJS.ErrnoException): LeakgateError {
  if (error instanceof LeakgateError) return error;
  return usageError(`model file not readable: ${path} (${error.code ?? String(error)}; check its permissions, e.g. chmod a+r)`);
}

/**
 * Each engine loads only its own kind of model: the reference engine its reference models, chatllm.cpp
 * real ones. A mismatch would fail at the first load as an engine error (exit 3); it is a usage error,
 * found by the configuration (the engine it picked) and again by the worker (the engine it loaded).
 */
export function modelEngineMismatch(
  model: Pick<ModelFile, 'path' | 'kind'>,
  libraryPath: string,
  referenceEngine: boolean,
): LeakgateError | null {
  if (referenceEngine && model.kind !== 'reference') {
    return usageError(
      `${model.path} is a chatllm.cpp model, but ${libraryPath} is leakgate's reference engine, which loads only reference models (pass ` +
        `--lib PATH or set LIBCHATLLM to a real libchatllm.so, or make a model with leakgate make-ref-model)`,
    );
  }
  if (!referenceEngine && model.kind === 'reference') {
    return usageError(
      `${model.path} is a leakgate reference model, which only the reference engine loads, but the engine is ${libraryPath} (drop --lib ` +
        `and LIBCHATLLM to use the reference engine, or pass a chatllm.cpp model)`,
    );
  }
  return null;
}
