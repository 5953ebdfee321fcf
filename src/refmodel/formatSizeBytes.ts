const units = [
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
  ['KiB', 1024],
] as const;

/**
 * Formats a byte count with the largest binary unit it reaches, at most two decimals
 * (1572864 -> "1.5MiB", 1000 -> "1000B"), in the syntax parseSizeBytes accepts.
 */
export function formatSizeBytes(bytes: number): string {
  for (const [unit, unitBytes] of units) {
    if (Math.abs(bytes) >= unitBytes) return `${Number((bytes / unitBytes).toFixed(2))}${unit}`;
  }
  return `${bytes}B`;
}
