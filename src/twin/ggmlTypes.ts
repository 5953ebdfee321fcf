/** A ggml tensor element type as chatllm.cpp files store it (ggml/include/ggml.h `enum ggml_type`). */
export interface GgmlType {
  /** Lower-case name as convert.py's `-t` option spells it. */
  name: string;
  /** The `ggml_type` enum value written in tensor records and the config's dtype field. */
  id: number;
  /** Elements per block (1 for plain float types). */
  blockElements: number;
  /** Bytes per block. */
  blockBytes: number;
}

/** The ggml types leakgate knows the block layout of; enough to walk any chatllm.cpp file's tensor records. */
const ggmlTypes: readonly GgmlType[] = [
  { name: 'f32', id: 0, blockElements: 1, blockBytes: 4 },
  { name: 'f16', id: 1, blockElements: 1, blockBytes: 2 },
  // q4_0: f16 scale + 16 bytes of nibbles
  { name: 'q4_0', id: 2, blockElements: 32, blockBytes: 18 },
  { name: 'q4_1', id: 3, blockElements: 32, blockBytes: 20 },
  { name: 'q5_0', id: 6, blockElements: 32, blockBytes: 22 },
  { name: 'q5_1', id: 7, blockElements: 32, blockBytes: 24 },
  // q8_0: f16 scale + 32 int8
  { name: 'q8_0', id: 8, blockElements: 32, blockBytes: 34 },
  { name: 'q8_1', id: 9, blockElements: 32, blockBytes: 36 },
  { name: 'q2_k', id: 10, blockElements: 256, blockBytes: 84 },
  { name: 'q3_k', id: 11, blockElements: 256, blockBytes: 110 },
  { name: 'q4_k', id: 12, blockElements: 256, blockBytes: 144 },
  { name: 'q5_k', id: 13, blockElements: 256, blockBytes: 176 },
  { name: 'q6_k', id: 14, blockElements: 256, blockBytes: 210 },
  { name: 'q8_k', id: 15, blockElements: 256, blockBytes: 292 },
  { name: 'bf16', id: 30, blockElements: 1, blockBytes: 2 },
];

/** File types a twin can be written as (`leakgate twin --type`); vectors are f32 in every file. */
export const twinTypeNames = ['q4_0', 'q8_0', 'f16'] as const;
export type TwinTypeName = (typeof twinTypeNames)[number];

/** Narrows user input to a twin file type. */
export function isTwinTypeName(text: string): text is TwinTypeName {
  return (twinTypeNames as readonly string[]).includes(text);
}

/** The ggml type with this enum value, or undefined when leakgate does not know its layout. */
export function ggmlTypeById(id: number): GgmlType | undefined {
  return ggmlTypes.find((t) => t.id === id);
}

/** The ggml type with this name (e.g. 'q4_0'), or undefined. */
function ggmlTypeByName(name: string): GgmlType | undefined {
  return ggmlTypes.find((t) => t.name === name);
}

/** The ggml type with this name; throws on an unknown name (a programming error, not a user error). */
export function requireGgmlType(name: string): GgmlType {
  const type = ggmlTypeByName(name);
  if (type === undefined) throw new Error(`unknown ggml type: ${name}`);
  return type;
}

/**
 * Bytes of tensor data for `dims` (outermost first, as convert.py writes them) stored as `type`;
 * blocks run along the innermost (last) dimension, which must be a multiple of the block size.
 */
export function ggmlTensorBytes(dims: readonly number[], type: GgmlType): number {
  const elements = dims.reduce((a, b) => a * b, 1);
  const rowElements = dims[dims.length - 1] ?? 1;
  if (rowElements % type.blockElements !== 0) {
    throw new Error(`row of ${rowElements} elements is not a whole number of ${type.name} blocks`);
  }
  return (elements / type.blockElements) * type.blockBytes;
}
