import type { AnonMapping } from '../results/ProbeSample.js';

/** A mapping outside malloc that holds more resident anonymous memory than the same addresses did before. */
export interface GrownMapping extends AnonMapping {
  grewBytes: number;
}

/** `0x1000-0x2000` → [0x1000n, 0x2000n]; null for anything else (a results file is read as untrusted). */
function parseRange(range: unknown): [bigint, bigint] | null {
  const match = typeof range === 'string' ? /^(0x[0-9a-f]+)-(0x[0-9a-f]+)$/i.exec(range) : null;
  return match ? [BigInt(match[1]!), BigInt(match[2]!)] : null;
}

const isByteCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * The mappings of `after` whose resident anonymous bytes grew since `before`, largest growth first.
 * Mappings are compared by the addresses they cover, not by identity: the kernel merges an anonymous
 * mmap into the mapping next to it, so a leak often shows as one mapping that widens downwards. The
 * bytes `before` held in a range are its mappings' resident bytes, pro rata to the overlap.
 */
export function grownMappings(before: readonly AnonMapping[], after: readonly AnonMapping[], minimumBytes: number): GrownMapping[] {
  const earlier = before.flatMap((m) => {
    const range = parseRange(m.range);
    return range && isByteCount(m.anonymousBytes) && isByteCount(m.sizeBytes) ? [{ m, range }] : [];
  });
  const grown: GrownMapping[] = [];
  for (const m of after) {
    const range = parseRange(m.range);
    if (!range || !isByteCount(m.anonymousBytes)) continue;
    const [start, end] = range;
    let heldBefore = 0;
    for (const {
      m: e,
      range: [eStart, eEnd],
    } of earlier) {
      // biome-ignore lint/complexity/useMathMinMax: the addresses are bigints, which Math.min cannot take
      const overlap = (end < eEnd ? end : eEnd) - (start > eStart ? start : eStart);
      if (overlap > 0n && e.sizeBytes > 0) heldBefore += (e.anonymousBytes * Number(overlap)) / e.sizeBytes;
    }
    const grewBytes = Math.round(m.anonymousBytes - heldBefore);
    if (grewBytes >= minimumBytes) grown.push({ ...m, grewBytes });
  }
  return grown.sort((a, b) => b.grewBytes - a.grewBytes);
}
