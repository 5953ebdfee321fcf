import { ggmlTensorBytes, type GgmlType } from './ggmlTypes.js';

/** chatllm.cpp's current container: "ggmm", u32 version, then u32 offsets of config, tokenizer and tensors. */
export const ggmmMagic = 'ggmm';
export const ggmmVersion = 1;
export const ggmmHeaderBytes = 20;
/** Tensor data starts on this boundary (GGML_MEM_ALIGN in convert.py, MEM_ALIGNED in the loader). */
export const ggmmTensorAlignment = 16;

/** A tensor to place in the file. */
export interface GgmmTensorInput {
  name: string;
  dims: number[];
  type: GgmlType;
}

/** Where one tensor record lands. */
export interface GgmmTensorPlacement extends GgmmTensorInput {
  recordOffset: number;
  /** Name, dims and type as convert.py's dump_tensor writes them, followed by the zero padding. */
  prefix: Buffer;
  dataOffset: number;
  dataBytes: number;
}

/** Byte-exact plan of a GGMM file; only tensor data is left to generate. */
export interface GgmmLayout {
  /** Magic, version, offsets, meta, config and vocab: everything before the first tensor record. */
  head: Buffer;
  offsets: { config: number; tokenizer: number; tensors: number };
  tensors: GgmmTensorPlacement[];
  fileBytes: number;
}

/** The meta JSON text, NUL-padded to a multiple of 4 bytes as convert.py does. */
export function encodeGgmmMeta(jsonText: string): Buffer {
  const text = Buffer.from(jsonText, 'utf8');
  const padded = Buffer.alloc(Math.ceil(text.length / 4) * 4);
  text.copy(padded);
  return padded;
}

const alignUp = (n: number): number => Math.ceil(n / ggmmTensorAlignment) * ggmmTensorAlignment;

function encodeTensorPrefix(tensor: GgmmTensorInput, recordOffset: number): Buffer {
  const name = Buffer.from(tensor.name, 'utf8');
  const headerBytes = 4 + name.length + 4 + 4 * tensor.dims.length + 4;
  const padding = alignUp(recordOffset + headerBytes) - (recordOffset + headerBytes);
  const buf = Buffer.alloc(headerBytes + padding);
  let at = buf.writeInt32LE(name.length, 0);
  at += name.copy(buf, at);
  at = buf.writeInt32LE(tensor.dims.length, at);
  for (const d of tensor.dims) at = buf.writeInt32LE(d, at);
  buf.writeInt32LE(tensor.type.id, at);
  return buf;
}

/**
 * Lays out a GGMM file the way BaseConverter.convert writes it: header, meta (padded), config section
 * (model type, version, config struct), vocabulary, then tensor records with 16-byte aligned data.
 */
export function planGgmmLayout(sections: { meta: Buffer; config: Buffer; vocab: Buffer; tensors: readonly GgmmTensorInput[] }): GgmmLayout {
  const config = ggmmHeaderBytes + sections.meta.length;
  const tokenizer = config + sections.config.length;
  const tensorsAt = tokenizer + sections.vocab.length;
  if (tensorsAt > 0xffffffff) throw new Error('GGMM sections before the tensors must fit 32-bit offsets');
  const header = Buffer.alloc(ggmmHeaderBytes);
  header.write(ggmmMagic, 0, 'latin1');
  header.writeUInt32LE(ggmmVersion, 4);
  header.writeUInt32LE(config, 8);
  header.writeUInt32LE(tokenizer, 12);
  header.writeUInt32LE(tensorsAt, 16);

  let at = tensorsAt;
  const tensors = sections.tensors.map((t) => {
    const prefix = encodeTensorPrefix(t, at);
    const placement: GgmmTensorPlacement = {
      ...t,
      recordOffset: at,
      prefix,
      dataOffset: at + prefix.length,
      dataBytes: ggmlTensorBytes(t.dims, t.type),
    };
    at = placement.dataOffset + placement.dataBytes;
    return placement;
  });
  return {
    head: Buffer.concat([header, sections.meta, sections.config, sections.vocab]),
    offsets: { config, tokenizer, tensors: tensorsAt },
    tensors,
    fileBytes: at,
  };
}
