import { open, type FileHandle } from 'node:fs/promises';
import { LeakgateError, usageError } from '../errors.js';
import { baseConfigLayout } from '../twin/chatllmConfigLayouts.js';
import { chatllmModelTypeById } from '../twin/chatllmModelTypes.js';
import { configStructBytes, decodeConfigStruct, type ConfigValues } from '../twin/configStruct.js';
import { ggmmHeaderBytes, ggmmMagic, ggmmTensorAlignment, ggmmVersion } from '../twin/ggmmLayout.js';
import { ggmlTypeById } from '../twin/ggmlTypes.js';
import { tokenTypes } from '../twin/bpeVocab.js';
import { formatBytes, KIB, MIB } from '../units.js';

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

/**
 * Reads up to `length` bytes at `position` (fewer at the end of the file). readGgmm reads through a file
 * handle; tests pass one over a buffer to count the reads.
 */
export type GgmmByteSource = (position: number, length: number) => Promise<Buffer>;

/**
 * At most this many tensor records: chatllm.cpp's models have hundreds (Qwen3-ASR 1.7B: ~700), the
 * largest MoE conversions tens of thousands. More is a corrupt or hostile file, refused before the
 * table's records fill memory (each file byte could otherwise be a record's worth of objects).
 */
export const maxGgmmTensors = 1_000_000;
/** A tensor name longer than this is corrupt (chatllm.cpp's are under 100 bytes). */
export const maxGgmmTensorNameBytes = 4 * KIB;
/**
 * Sections read whole before anything else, each bounded before it is allocated: real ones are a few
 * kB (config), up to a few MB (meta: config.json, tokenizer_config.json, ...; vocabulary: ~150k tokens
 * and merges). A larger offset gap is a corrupt or hostile file, not a buffer of gigabytes.
 */
const maxSectionBytes = { meta: 64 * MIB, config: 1 * MIB, tokenizer: 64 * MIB } as const;
/** Added and special tokens kept from the vocabulary (Qwen3-ASR has a few hundred): more is corrupt. */
const maxSpecialTokens = 65_536;
/**
 * The tensor table is read through a window, readahead-style: a record alone (a read this large holds
 * any record: name cap + ndim + 4 dims + type) after a jump over a large tensor's data, then twice the
 * window while records follow close behind it, up to the largest window.
 */
const recordReadBytes = 8 * KIB;
const maxTableWindowBytes = 1 * MIB;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  // not zero-filled: only the bytes read are returned
  const buf = Buffer.allocUnsafe(length);
  const { bytesRead } = await handle.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

function parseVocab(section: Buffer, path: string): GgmmVocab {
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
      if (specialTokens.length >= maxSpecialTokens) {
        throw usageError(
          `GGMM file is truncated or corrupt: ${path} (more than ${maxSpecialTokens} special tokens in its vocabulary; ${fixHint})`,
        );
      }
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

/**
 * Walks the tensor table in one pass, linear in the file: records close together (small tensors) are
 * parsed from a window that doubles up to 1 MiB, a record read alone after a jump over large tensor
 * data: 300,000 tiny tensors take ~20 reads, not 300,000, and a 1.7B model's ~700 records ~8 kB each.
 * Names, dimension counts, dimensions and the record count are bounded.
 */
async function readTensorRecords(
  read: GgmmByteSource,
  path: string,
  start: number,
  fileBytes: number,
): Promise<{ records: GgmmTensorRecord[]; unknownTensorType: GgmmFile['unknownTensorType'] }> {
  const records: GgmmTensorRecord[] = [];
  const corrupt = (detail: string) => usageError(`GGMM file is truncated or corrupt: ${path} (${detail}; write or download it again)`);
  let window: Buffer = Buffer.alloc(0);
  let windowStart = 0;
  for (let at = start; at < fileBytes; ) {
    if (records.length >= maxGgmmTensors) {
      throw usageError(
        `GGMM file has more than ${maxGgmmTensors} tensor records: ${path} ` +
          `(chatllm.cpp models have at most tens of thousands; the file is corrupt or not a model: ${fixHint})`,
      );
    }
    // refill unless the largest possible record at `at` lies in the window (or the window ends the file)
    const windowEnd = windowStart + window.length;
    if (at < windowStart || (at + recordReadBytes > windowEnd && windowEnd < fileBytes)) {
      // records still close behind the window: read ahead more; a jump over tensor data: one record
      const close = at >= windowStart && at - windowEnd < window.length;
      const length = close ? Math.min(2 * window.length, maxTableWindowBytes) : recordReadBytes;
      window = await read(at, Math.min(Math.max(length, recordReadBytes), fileBytes - at));
      windowStart = at;
    }
    // parsed in place, no per-record closure or view: this loop runs once per record
    const end = windowStart + window.length;
    let p = at;
    if (p + 4 > end) throw corrupt(`tensor record at byte ${at} is cut short`);
    const nameBytes = window.readInt32LE(p - windowStart);
    p += 4;
    if (nameBytes <= 0 || nameBytes > maxGgmmTensorNameBytes || p + nameBytes > end) {
      throw corrupt(`bad tensor name length ${nameBytes} at byte ${at}, at most ${maxGgmmTensorNameBytes}`);
    }
    const name = window.toString('utf8', p - windowStart, p - windowStart + nameBytes);
    p += nameBytes;
    if (p + 4 > end) throw corrupt(`tensor record at byte ${at} is cut short`);
    const ndim = window.readInt32LE(p - windowStart);
    p += 4;
    if (ndim < 1 || ndim > 4) throw corrupt(`tensor ${JSON.stringify(name)} has ${ndim} dimensions`);
    if (p + 4 * ndim + 4 > end) throw corrupt(`tensor record at byte ${at} is cut short`);
    const dims: number[] = [];
    for (let d = 0; d < ndim; d++, p += 4) dims.push(window.readInt32LE(p - windowStart));
    // a negative dimension would walk the table backwards, round and round
    if (dims.some((d) => d < 0)) throw corrupt(`tensor ${JSON.stringify(name)} has dimensions ${dims.join('x')}`);
    const typeId = window.readInt32LE(p - windowStart);
    p += 4;
    const type = ggmlTypeById(typeId);
    // A type leakgate does not know is no reason to refuse the file (the engine decides): the walk
    // stops there, as the data size of this tensor, and so the next record's place, is unknown.
    if (type === undefined) return { records, unknownTensorType: { tensor: name, ggmlTypeId: typeId } };
    const dataOffset = Math.ceil(p / ggmmTensorAlignment) * ggmmTensorAlignment;
    const elements = dims.reduce((a, b) => a * b, 1);
    const dataBytes = (elements / type.blockElements) * type.blockBytes;
    if (!Number.isInteger(dataBytes) || dataOffset + dataBytes > fileBytes) {
      throw corrupt(`tensor ${JSON.stringify(name)} ends at byte ${dataOffset + dataBytes}, the file has ${fileBytes}`);
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
    return await readGgmmFrom(path, fileBytes, (position, length) => readAt(handle, position, length));
  } finally {
    await handle.close();
  }
}

/** readGgmm over any byte source of `fileBytes` bytes; `path` names the file in errors. */
export async function readGgmmFrom(path: string, fileBytes: number, read: GgmmByteSource): Promise<GgmmFile> {
  const header = await read(0, ggmmHeaderBytes);
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
      `GGMM file is truncated or corrupt: ${path} (section offsets ${offsets.config}/${offsets.tokenizer}/${offsets.tensors} ` +
        `do not fit ${fileBytes} bytes)`,
    );
  }
  const sectionBytes = {
    meta: offsets.config - ggmmHeaderBytes,
    config: offsets.tokenizer - offsets.config,
    tokenizer: offsets.tensors - offsets.tokenizer,
  };
  for (const section of ['meta', 'config', 'tokenizer'] as const) {
    if (sectionBytes[section] > maxSectionBytes[section]) {
      throw usageError(
        `GGMM file is truncated or corrupt: ${path} (its ${section} section is ${formatBytes(sectionBytes[section])}, ` +
          `at most ${formatBytes(maxSectionBytes[section])} in a model; ${fixHint})`,
      );
    }
  }

  const metaText = (await read(ggmmHeaderBytes, sectionBytes.meta)).toString('utf8').replace(/\0+$/, '');
  let meta: Record<string, unknown> | null = null;
  if (metaText.length > 0) {
    try {
      meta = JSON.parse(metaText) as Record<string, unknown>;
    } catch {
      throw usageError(`GGMM file has unreadable meta JSON: ${path} (${fixHint})`);
    }
  }

  const configSection = await read(offsets.config, sectionBytes.config);
  if (configSection.length < 8)
    throw usageError(`GGMM file is truncated or corrupt: ${path} (config section is ${configSection.length} bytes)`);
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
    const section = await read(offsets.tokenizer, sectionBytes.tokenizer);
    try {
      vocab = parseVocab(section, path);
    } catch (error) {
      if (error instanceof LeakgateError) throw error;
      throw usageError(`GGMM file is truncated or corrupt: ${path} (the tokenizer section does not parse; ${fixHint})`);
    }
  }
  const { records: tensors, unknownTensorType } = await readTensorRecords(read, path, offsets.tensors, fileBytes);
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
}
