import { float16Bits } from './float16.js';
import type { TensorChunkFiller } from './writeGgmm.js';
import type { TwinTensorInit } from './twinTensorPlan.js';
import type { GgmlType } from './ggmlTypes.js';
import { Xorshift128 } from './Xorshift128.js';

const twoTo32 = 2 ** 32;

function f16Table(size: number, low: number, high: number): Uint16Array {
  return Uint16Array.from({ length: size }, (_, i) => float16Bits(low + ((high - low) * (i + 0.5)) / size));
}

// Matrices: |w| <= 0.05 in f16; q4_0 scales up to 0.01 (|w| <= 0.08); q8_0 scales up to 0.001 (|w| <= 0.127).
const matrixF16 = f16Table(4096, -0.05, 0.05);
const blockScales: ReadonlyMap<string, Uint16Array> = new Map([
  ['q4_0', f16Table(64, 0.002, 0.01)],
  ['q8_0', f16Table(64, 0.0002, 0.001)],
]);
const f32Ranges: Record<TwinTensorInit, { centre: number; halfWidth: number }> = {
  normScale: { centre: 1, halfWidth: 0.05 },
  bias: { centre: 0, halfWidth: 0.02 },
  matrix: { centre: 0, halfWidth: 0.05 },
};

const wordsOf = (chunk: Buffer): Uint32Array => new Uint32Array(chunk.buffer, chunk.byteOffset, Math.ceil(chunk.length / 4));

/** Fillers per ggml type; each takes random words already in the chunk and shapes them into valid values. */
const shapers: ReadonlyMap<string, (chunk: Buffer, type: GgmlType, init: TwinTensorInit) => void> = new Map([
  [
    'f32',
    (chunk: Buffer, _type: GgmlType, init: TwinTensorInit) => {
      const words = wordsOf(chunk);
      const floats = new Float32Array(chunk.buffer, chunk.byteOffset, chunk.length >>> 2);
      const { centre, halfWidth } = f32Ranges[init];
      for (let i = 0; i < floats.length; i++) floats[i] = centre + ((words[i] ?? 0) / twoTo32 - 0.5) * 2 * halfWidth;
    },
  ],
  [
    'f16',
    (chunk: Buffer) => {
      const halves = new Uint16Array(chunk.buffer, chunk.byteOffset, chunk.length >>> 1);
      for (let i = 0; i < halves.length; i++) halves[i] = matrixF16[(halves[i] ?? 0) & 4095] ?? 0;
    },
  ],
  ['q4_0', shapeBlocks],
  ['q8_0', shapeBlocks],
]);

// Random nibbles/int8s are valid as they are; only each block's leading f16 scale needs a sane value.
function shapeBlocks(chunk: Buffer, type: GgmlType): void {
  const scales = blockScales.get(type.name);
  if (scales === undefined) throw new Error(`no scale table for ${type.name}`);
  for (let at = 0; at + 2 <= chunk.length; at += type.blockBytes) {
    const bits = scales[(chunk[at] ?? 0) & 63] ?? 0;
    chunk[at] = bits & 0xff;
    chunk[at + 1] = bits >>> 8;
  }
}

/**
 * Random-but-valid data for one tensor: a stream keyed by (seed, tensor name), shaped per ggml type so
 * no value is NaN/Inf and magnitudes stay small. Identical seed and name give identical bytes.
 */
export function twinTensorFiller(tensor: { name: string; type: GgmlType; init: TwinTensorInit }, seed: number): TensorChunkFiller {
  const shape = shapers.get(tensor.type.name);
  if (shape === undefined) throw new Error(`twins cannot store ${tensor.type.name} tensors`);
  const rng = new Xorshift128(seed, tensor.name);
  return (chunk: Buffer) => {
    rng.fill(wordsOf(chunk));
    shape(chunk, tensor.type, tensor.init);
  };
}
