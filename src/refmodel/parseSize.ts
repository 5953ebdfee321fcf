import { usageError } from '../errors.js';
import { BINARY_UNIT_BYTES, SIZE_UNITS } from '../units.js';

/** Binary units only: "MB" is ambiguous (10^6 or 2^20), so it is refused rather than guessed. */
const unitBytes: Record<string, number> = {
  '': 1,
  B: 1,
  ...Object.fromEntries(SIZE_UNITS.map((unit) => [unit, BINARY_UNIT_BYTES[unit]])),
};

const ambiguousUnit = /^(k|m|g|kb|mb|gb|kib|mib|gib)$/i;
const sizePattern = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/;
const EXAMPLES = 'e.g. 16MiB, 512KiB, 1.5GiB or 4096';

/**
 * Parses a size in bytes: a plain whole number ("4096") or a number with a binary unit
 * ("512KiB", "16MiB", "1.5GiB"; "B" is allowed too). K/M/G and KB/MB/GB are rejected as ambiguous,
 * and so is anything that is not a whole number of bytes. Errors are usage errors naming `flag`.
 */
export function parseSizeBytes(text: string, flag = '--size'): number {
  const match = sizePattern.exec(text);
  if (!match) throw usageError(`${flag} ${JSON.stringify(text)} is not a size (write ${EXAMPLES})`);
  const [, number = '', unit = ''] = match;
  const multiplier = unitBytes[unit];
  if (multiplier === undefined) {
    const hint = ambiguousUnit.test(unit)
      ? `unit ${unit} is ambiguous or misspelt; use the binary units KiB, MiB or GiB`
      : `unknown unit ${unit}; use KiB, MiB or GiB`;
    throw usageError(`${flag} ${JSON.stringify(text)}: ${hint} (${EXAMPLES})`);
  }
  // Exact: a decimal that names a whole number of bytes is representable, and scaling by 2^k is exact.
  const bytes = Number(number) * multiplier;
  if (!Number.isInteger(bytes)) {
    throw usageError(`${flag} ${JSON.stringify(text)} is not a whole number of bytes (write ${EXAMPLES})`);
  }
  if (!Number.isSafeInteger(bytes)) {
    throw usageError(`${flag} ${JSON.stringify(text)} is too large (at most ${Number.MAX_SAFE_INTEGER} bytes)`);
  }
  return bytes;
}
