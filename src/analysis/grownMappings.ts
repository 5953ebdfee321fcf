import type { AnonMapping } from '../results/ProbeSample.js';

/** A mapping outside malloc that holds more resident anonymous memory than the same addresses did before. */
export interface GrownMapping extends AnonMapping {
  grewBytes: number;
}

const parseRange = (range: string): [bigint, bigint] => {
  const [start = '0x0', end = '0x0'] = range.split('-');
  return [BigInt(start), BigInt(end)];
};

/**
 * The mappings of `after` whose resident anonymous bytes grew since `before`, largest growth first.
 * Mappings are compared by the addresses they cover, not by identity: the kernel merges an anonymous
 * mmap into the mapping next to it, so a leak often shows as one mapping that widens downwards. The
 * bytes `before` held in a range are its mappings' resident bytes, pro rata to the overlap.
 */
export function grownMappings(before: readonly AnonMapping[], after: readonly AnonMapping[], minimumBytes: number): GrownMapping[] {
  const earlier = before.map((m) => ({ m, range: parseRange(m.range) }));
  const grown: GrownMapping[] = [];
  for (const m of after) {
    const [start, end] = parseRange(m.range);
    let heldBefore = 0;
    for (const { m: e, range: [eStart, eEnd] } of earlier) {
      const overlap = (end < eEnd ? end : eEnd) - (start > eStart ? start : eStart);
      if (overlap > 0n && e.sizeBytes > 0) heldBefore += (e.anonymousBytes * Number(overlap)) / e.sizeBytes;
    }
    const grewBytes = Math.round(m.anonymousBytes - heldBefore);
    if (grewBytes >= minimumBytes) grown.push({ ...m, grewBytes });
  }
  return grown.sort((a, b) => b.grewBytes - a.grewBytes);
}
