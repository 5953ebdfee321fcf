import { open, type FileHandle } from 'node:fs/promises';
import { usageError } from '../errors.js';
import { baseConfigLayout } from '../twin/chatllmConfigLayouts.js';
import { chatllmModelTypeById } from '../twin/chatllmModelTypes.js';
import { configStructBytes, decodeConfigStruct, type ConfigValues } from '../twin/configStruct.js';
import { ggmmHeaderBytes, ggmmMagic, ggmmTensorAlignment, ggmmVersion } from '../twin/ggmmLayout.js';
import { ggmlTypeById } from '../twin/ggmlTypes.js';
import { tokenTypes } from '../twin/bpeVocab.js';

/** One tensor record: where it is and what it holds (its data is never read). */
export interface GgmmTensorRecord {
  name: string;
  /** Outermost first, as convert.py writes them (the engine reverses them into ggml's ne[]). */
  dims: number[];
  ggmlTypeId: number;
  ggmlType: string;
  recordOffset: number;
  dataOffset: number;
  dataBytes: number;
}

export interface GgmmSpecialToken {
  id: number;
  text: string;
  type: number;
}

/** Summary of a byte-level BPE tokenizer section. */
export interface GgmmVocab {
  tokenCount: number;
  normalTokenCount: number;
  mergeCount: number;
  /** Tokens whose type is not "normal" (added/special tokens), in id order. */
  specialTokens: GgmmSpecialToken[];
}

/** The headers of a chatllm.cpp GGMM model file. */
export interface GgmmFile {
  path: string;
  fileBytes: number;
  magic: string;
  version: number;
  offsets: { config: number; tokenizer: number; tensors: number };
  /** The embedded JSON (config.json, tokenizer_config.json, ..., model_name); null when absent. */
  meta: Record<string, unknown> | null;
  modelType: number;
  /** Known name of the model type (e.g. "Qwen3-ASR"), or null. */
  modelTypeName: string | null;
  modelVersion: number;
  /** The config struct: the full layout for known model types, the base config otherwise. */
  config: ConfigValues;
  /** Null when the model type's tokenizer section is not a BPE layout leakgate walks. */
  vocab: GgmmVocab | null;
  /** The tensor table, up to the first tensor of a type leakgate does not know (if any). */
  tensors: GgmmTensorRecord[];
  /** The first tensor whose ggml type leakgate does not know (the table is read up to it), or null. */
  unknownTensorType: { tensor: string; ggmlTypeId: number } | null;
}

const fixHint = "convert it with chatllm.cpp's convert.py or write one with `leakgate twin`";

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

function parseVocab(section: Buffer): GgmmVocab {
  let at = 0;
  const nextLength = (): number => {
    const n = section.readInt32LE(at);
    at += 4;
    return n;
  };
  const specialTokens: GgmmSpecialToken[] = [];
  let tokenCount = 0;
  for (let n = nextLength(); n >= 0; n = nextLength()) {
    const type = section.readUInt8(at + n);
    if (type !== tokenTypes.normal) {
      specialTokens.push({ id: tokenCount, text: section.toString('utf8', at, at + n), type });
    }
    at += n + 1;
    tokenCount++;
  }
  let mergeCount = 0;
  for (let n = nextLength(); n >= 0; n = nextLength()) {
    at += n;
    mergeCount++;
  }
  return { tokenCount, normalTokenCount: tokenCount - specialTokens.length, mergeCount, specialTokens };
}

async function readTensorRecords(
  handle: FileHandle,
  path: string,
  start: number,
  fileBytes: number,
): Promise<{ records: GgmmTensorRecord[]; unknownTensorType: GgmmFile['unknownTensorType'] }> {
  const records: GgmmTensorRecord[] = [];
  const corrupt = (detail: string) => usageError(`GGMM file is truncated or corrupt: ${path} (${detail}; write or download it again)`);
  for (let at = start; at < fileBytes; ) {
    // a record header is small: read a little, and again if the name is longer
    let head = await readAt(handle, at, Math.min(512, fileBytes - at));
    const needed = head.length >= 4 ? 4 + head.readInt32LE(0) + 4 + 4 * 4 + 4 : 0;
    if (needed > head.length && needed <= fileBytes - at) head = await readAt(handle, at, needed);
    let p = 0;
    const int32 = (): number => {
      if (p + 4 > head.length) throw corrupt(`tensor record at byte ${at} is cut short`);
      const v = head.readInt32LE(p);
      p += 4;
      return v;
    };
    const nameBytes = int32();
    if (nameBytes <= 0 || p + nameBytes > head.length) throw corrupt(`bad tensor name length ${nameBytes} at byte ${at}`);
    const name = head.toString('utf8', p, p + nameBytes);
    p += nameBytes;
    const ndim = int32();
    if (ndim < 1 || ndim > 4) throw corrupt(`tensor ${name} has ${ndim} dimensions`);
    const dims = Array.from({ length: ndim }, int32);
    const typeId = int32();
    const type = ggmlTypeById(typeId);
    // A type leakgate does not know is no reason to refuse the file (the engine decides): the walk
    // stops there, as the data size of this tensor, and so the next record's place, is unknown.
    if (type === undefined) return { records, unknownTensorType: { tensor: name, ggmlTypeId: typeId } };
    const dataOffset = Math.ceil((at + p) / ggmmTensorAlignment) * ggmmTensorAlignment;
    const elements = dims.reduce((a, b) => a * b, 1);
    const dataBytes = (elements / type.blockElements) * type.blockBytes;
    if (!Number.isInteger(dataBytes) || dataOffset + dataBytes > fileBytes) {
      throw corrupt(`tensor ${name} ends at byte ${dataOffset + dataBytes}, the file has ${fileBytes}`);
    }
    records.push({ name, dims, ggmlTypeId: typeId, ggmlType: type.name, recordOffset: at, dataOffset, dataBytes });
    at = dataOffset + dataBytes;
  }
  return { records, unknownTensorType: null };
}

/**
 * Reads the headers of a chatllm.cpp GGMM model: section offsets, meta JSON, model type and version,
 * config struct, tokenizer summary and the tensor table. Tensor data is skipped, so a multi-GB model
 * costs a few MB (the vocabulary section) to read. Throws LeakgateError for missing, non-GGMM,
 * legacy-format or truncated files; a tensor type leakgate does not know ends the walk (unknownTensorType).
 */
export async function readGgmm(path: string): Promise<GgmmFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    throw usageError(`model file not found or unreadable: ${path} (pass the path of a chatllm.cpp model file)`);
  }
  try {
    const fileBytes = (await handle.stat()).size;
    const header = await readAt(handle, 0, ggmmHeaderBytes);
    const magic = header.toString('latin1', 0, Math.min(4, header.length));
    if (magic === 'ggml') {
      throw usageError(
        `${path} is a chatllm.cpp model in the legacy "ggml" format (re-convert it with a current convert.py to get a GGMM file)`,
      );
    }
    if (magic !== ggmmMagic || header.length < ggmmHeaderBytes) {
      throw usageError(`not a chatllm.cpp GGMM model: ${path} (starts with ${JSON.stringify(magic)}, expected "ggmm"; ${fixHint})`);
    }
    const version = header.readUInt32LE(4);
    if (version !== ggmmVersion)
      throw usageError(`unsupported GGMM version ${version}: ${path} (leakgate reads version ${ggmmVersion}; ${fixHint})`);
    const offsets = { config: header.readUInt32LE(8), tokenizer: header.readUInt32LE(12), tensors: header.readUInt32LE(16) };
    if (
      !(
        ggmmHeaderBytes <= offsets.config &&
        offsets.config <= offsets.tokenizer &&
        offsets.tokenizer <= offsets.tensors &&
        offsets.tensors <= fileBytes
      )
    ) {
      throw usageError(
        `GGMM file is truncated or corrupt: ${path} (section offsets ${offsets.config}/${offsets.tokenizer}/${offsets.tensors} do ` +
          `not fit ${fileBytes} bytes)`,
      );
    }

    const metaText = (await readAt(handle, ggmmHeaderBytes, offsets.config - ggmmHeaderBytes)).toString('utf8').replace(/\0+$/, '');
    let meta: Record<string, unknown> | null = null;
    if (metaText.length > 0) {
      try {
        meta = JSON.parse(metaText) as Record<string, unknown>;
      } catch {
        throw usageError(`GGMM file has unreadable meta JSON: ${path} (${fixHint})`);
      }
    }

    const configSection = await readAt(handle, offsets.config, offsets.tokenizer - offsets.config);
    const modelType = configSection.readUInt32LE(0);
    const modelVersion = configSection.readInt32LE(4);
    const known = chatllmModelTypeById(modelType);
    const layout = known?.configLayout ?? baseConfigLayout;
    if (configSection.length < 8 + configStructBytes(layout)) {
      throw usageError(`GGMM file is truncated or corrupt: ${path} (config section is ${configSection.length} bytes)`);
    }
    const config = decodeConfigStruct(layout, configSection, 8);

    let vocab: GgmmVocab | null = null;
    if (known?.vocabFormat === 'bpe') {
      const section = await readAt(handle, offsets.tokenizer, offsets.tensors - offsets.tokenizer);
      try {
        vocab = parseVocab(section);
      } catch {
        throw usageError(`GGMM file is truncated or corrupt: ${path} (the tokenizer section does not parse)`);
      }
    }
    const { records: tensors, unknownTensorType } = await readTensorRecords(handle, path, offsets.tensors, fileBytes);
    return {
      path,
      fileBytes,
      magic,
      version,
      offsets,
      meta,
      modelType,
      modelTypeName: known?.name ?? null,
      modelVersion,
      config,
      vocab,
      tensors,
      unknownTensorType,
    };
  } finally {
    await handle.close();
  }
}
