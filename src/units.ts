/**
 * Byte units and how leakgate writes them: the bottom of the house beside errors.ts, imported by
 * every layer and importing nothing of leakgate. Memory is counted in binary units (a kernel "kB"
 * in /proc is a KiB, the seed's "MB" is a MiB); only model files are described in decimal units.
 */

/** Bytes in a kibibyte (2^10). */
export const KIB = 1024;
/** Bytes in a mebibyte (2^20). */
export const MIB = 1024 * KIB;
/** Bytes in a gibibyte (2^30). */
export const GIB = 1024 * MIB;
/** Bytes in a tebibyte (2^40). */
const TIB = 1024 * GIB;

/** A binary unit's name. */
export type BinaryUnit = 'KiB' | 'MiB' | 'GiB' | 'TiB';

/** Bytes per binary unit. */
export const BINARY_UNIT_BYTES: Readonly<Record<BinaryUnit, number>> = { KiB: KIB, MiB: MIB, GiB: GIB, TiB: TIB };

/** Sizes a user may write (`--size 16MiB`): up to GiB; TiB is only ever printed. */
export const SIZE_UNITS = ['KiB', 'MiB', 'GiB'] as const satisfies readonly BinaryUnit[];

/** The largest of `units` that |bytes| reaches, or null below the smallest. */
function largestUnit(bytes: number, units: readonly BinaryUnit[]): BinaryUnit | null {
  let reached: BinaryUnit | null = null;
  for (const unit of units) if (Math.abs(bytes) >= BINARY_UNIT_BYTES[unit]) reached = unit;
  return reached;
}

/**
 * Bytes in the largest binary unit they reach, with `digits` decimals, for explanations and reports:
 * 262144 → "256.0 KiB", -1536 → "-1.5 KiB", 512 → "512 B".
 */
export function formatBytes(bytes: number, digits = 1): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const unit = largestUnit(bytes, ['KiB', 'MiB', 'GiB', 'TiB']);
  const sign = bytes < 0 ? '-' : '';
  const scaled = Math.abs(bytes) / (unit === null ? 1 : BINARY_UNIT_BYTES[unit]);
  return unit === null ? `${sign}${Math.round(scaled)} B` : `${sign}${scaled.toFixed(digits)} ${unit}`;
}

/** Bytes in one fixed binary unit, for columns that compare like with like: (1572864, 'MiB') → "1.5 MiB". */
export function formatBytesIn(bytes: number, unit: BinaryUnit, digits = 1): string {
  return `${(bytes / BINARY_UNIT_BYTES[unit]).toFixed(digits)} ${unit}`;
}

/**
 * A byte count with the largest binary unit it reaches, at most two decimals
 * (1572864 → "1.5MiB", 1000 → "1000B"), in the syntax parseSizeBytes accepts.
 */
export function formatSizeBytes(bytes: number): string {
  const unit = largestUnit(bytes, SIZE_UNITS);
  return unit === null ? `${bytes}B` : `${Number((bytes / BINARY_UNIT_BYTES[unit]).toFixed(2))}${unit}`;
}

const decimalUnits = [
  { min: 1e9, unit: 'GB', digits: 2 },
  { min: 1e6, unit: 'MB', digits: 1 },
  { min: 1e3, unit: 'kB', digits: 1 },
];

/** A file's size in decimal units, as model hubs and file managers show it: 1234567 → "1.2 MB". */
export function formatDecimalBytes(bytes: number): string {
  const scale = decimalUnits.find((u) => bytes >= u.min);
  return scale === undefined ? `${bytes} bytes` : `${(bytes / scale.min).toFixed(scale.digits)} ${scale.unit}`;
}
