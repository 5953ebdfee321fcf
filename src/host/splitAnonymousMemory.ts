import { MIB } from '../units.js';
import type { AnonMapping } from '../results/ProbeSample.js';
import type { SmapsMapping } from './parseSmaps.js';

/**
 * glibc's HEAP_MAX_SIZE on 64-bit (2 × DEFAULT_MMAP_THRESHOLD_MAX): every heap of a non-main malloc
 * arena is a reservation of this size, aligned to it, read-write as far as the arena has grown and
 * PROT_NONE after that.
 */
export const ARENA_HEAP_BYTES = 64 * MIB;
const ARENA_HEAP = BigInt(ARENA_HEAP_BYTES);

/** Anonymous resident memory split by who owns it. */
export interface AnonymousMemorySplit {
  /** Resident anonymous bytes of malloc's arenas: `[heap]` (the main arena) and the non-main arenas' heaps. */
  mallocArenaBytes: number;
  /**
   * Resident anonymous bytes of every other mapping, less malloc's own mmapped chunks (mallinfo2
   * hblkhd, which live in unnamed mappings like the engine's own): an engine's mmap, thread stacks,
   * the JS runtime's heap, private pages of loaded libraries. Null when hblkhd is unknown (off glibc).
   */
  outsideMallocBytes: number | null;
  /** The mappings counted in outsideMallocBytes that hold resident anonymous pages. */
  outsideMappings: AnonMapping[];
}

/**
 * How glibc 2.39+ names a non-main arena's heap when the tunable glibc.mem.decorate_maps is on. Not its
 * `[anon: glibc: malloc]`: that names every chunk malloc mmaps on its own (counted in hblkhd) and the
 * main arena's mmapped extensions (placed by mallocSystemBytes), both taken out of the outside part below.
 */
const GLIBC_ARENA_HEAP_NAME = '[anon: glibc: malloc arena]';

const isAligned = (address: bigint): boolean => address % ARENA_HEAP === 0n;

/**
 * The indexes of the mappings that are non-main arena heaps: an unnamed anonymous read-write mapping
 * starting on a 64 MiB boundary that ends on one, or is followed at once by a PROT_NONE anonymous
 * mapping that ends on the next one. (Full heaps next to each other merge into one mapping spanning
 * several 64 MiB blocks; a JS engine's large PROT_NONE reservations span many blocks and do not match.)
 */
export function arenaHeapIndexes(mappings: readonly SmapsMapping[]): Set<number> {
  const found = new Set<number>();
  mappings.forEach((m, i) => {
    if (!m.anonymous || m.name !== '' || !m.perms.startsWith('rw') || !isAligned(m.startAddress)) return;
    if (isAligned(m.endAddress)) {
      found.add(i);
      return;
    }
    const next = mappings[i + 1];
    if (!next?.anonymous || next.name !== '' || next.perms.slice(0, 3) !== '---' || next.startAddress !== m.endAddress) return;
    // The reservation's tail reaches exactly the next 64 MiB boundary after the read-write part.
    const boundary = (m.endAddress / ARENA_HEAP + 1n) * ARENA_HEAP;
    if (next.endAddress === boundary) {
      found.add(i);
      found.add(i + 1);
    }
  });
  return found;
}

/**
 * Splits a process's resident anonymous memory into malloc's arenas and everything outside malloc.
 * `mallocMmappedBytes` is mallinfo2's hblkhd (malloc's chunks mmapped one by one), taken out of the
 * outside part because those mappings cannot be told from the engine's own by their look.
 *
 * `mallocSystemBytes` is mallinfo2's arena: what the arenas took from the system, wherever it lies.
 * When the main arena cannot grow `[heap]` by brk (in Node, V8 reserves the address space just above
 * it), glibc extends it with plain anonymous mmaps, which look like anyone's: on chatllm.cpp with a
 * 1.7B model, 377 such mmaps from ggml_aligned_malloc held 1 GiB of freed arena memory after unload,
 * and were called a leak outside malloc. The part of the arenas not found by address is taken out of
 * the outside part too (its pages are resident: glibc gives a non-contiguous main arena's memory back
 * only through malloc_trim).
 */
export function splitAnonymousMemory(
  mappings: readonly SmapsMapping[],
  mallocMmappedBytes: number | null,
  mallocSystemBytes: number | null = null,
): AnonymousMemorySplit {
  const arena = arenaHeapIndexes(mappings);
  let mallocArenaBytes = 0;
  let arenaMappedBytes = 0;
  let outsideBytes = 0;
  const outsideMappings: AnonMapping[] = [];
  mappings.forEach((m, i) => {
    const isArena = m.name === '[heap]' || m.name === GLIBC_ARENA_HEAP_NAME || arena.has(i);
    if (isArena && m.perms.startsWith('rw')) arenaMappedBytes += Number(m.endAddress - m.startAddress);
    if (m.anonymousBytes === 0) return;
    if (isArena) {
      mallocArenaBytes += m.anonymousBytes;
      return;
    }
    outsideBytes += m.anonymousBytes;
    outsideMappings.push({
      range: `0x${m.startAddress.toString(16)}-0x${m.endAddress.toString(16)}`,
      sizeBytes: Number(m.endAddress - m.startAddress),
      anonymousBytes: m.anonymousBytes,
      name: m.name,
    });
  });
  if (mallocMmappedBytes === null) return { mallocArenaBytes, outsideMallocBytes: null, outsideMappings };
  const outsideMallocBytes = outsideBytes - mallocMmappedBytes;
  const unplacedArenaBytes = Math.min(Math.max(0, (mallocSystemBytes ?? 0) - arenaMappedBytes), Math.max(0, outsideMallocBytes));
  return {
    mallocArenaBytes: mallocArenaBytes + unplacedArenaBytes,
    outsideMallocBytes: outsideMallocBytes - unplacedArenaBytes,
    outsideMappings,
  };
}
