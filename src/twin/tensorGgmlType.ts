import { requireGgmlType, type GgmlType } from './ggmlTypes.js';

/**
 * The type convert.py stores a tensor as (tensor_quantization_type + tensor_type_fallback): vectors stay
 * f32; matrices take the file's type unless their rows are not a whole number of blocks, then f16
 * (this is why the 3x3 audio convolutions are f16 in quantised files).
 */
export function tensorGgmlType(dims: readonly number[], fileType: GgmlType): GgmlType {
  if (dims.length <= 1) return requireGgmlType('f32');
  const rowElements = dims[dims.length - 1] ?? 1;
  if (rowElements % fileType.blockElements !== 0) return requireGgmlType('f16');
  return fileType;
}
