import { readFile } from 'node:fs/promises';
import { MIB } from '../units.js';
import { parseSmaps } from './parseSmaps.js';
import type { Probe } from './probes.js';
import { splitAnonymousMemory } from './splitAnonymousMemory.js';

/**
 * Mappings outside malloc recorded after each unload hold at least this much: the JS runtime's heap is
 * a hundred or more 256 KiB pages that would make every switch's record ~15 KB; an engine's buffers,
 * and the mapping a leaking mmap keeps widening (the kernel merges neighbours), are larger.
 */
const RECORDED_MAPPING_MINIMUM_BYTES = MIB;

/**
 * Anonymous memory split into malloc's arenas and the rest (/proc/PID/smaps with mallinfo2's hblkhd):
 * a leak outside malloc (an engine's own mmap, thread stacks) shows in outsideMallocBytes while
 * allocator retention stays in mallocArenaBytes. After unload it also keeps the outside mappings, so
 * the report can name those that grew.
 */
export const anonymousMemoryProbe: Probe = {
  name: 'anonymous-memory',
  async sample({ pid, phase, inWorker }) {
    const mappings = parseSmaps(await readFile(`/proc/${pid}/smaps`, 'utf8'));
    const split = splitAnonymousMemory(mappings, inWorker.mallocMmappedBytes ?? null, inWorker.mallocSystemBytes ?? null);
    return {
      mallocArenaBytes: split.mallocArenaBytes,
      mallocMmappedBytes: inWorker.mallocMmappedBytes ?? null,
      mallocFreeBytes: inWorker.mallocFreeBytes ?? null,
      outsideMallocBytes: split.outsideMallocBytes,
      ...(phase === 'afterUnload'
        ? { outsideMallocMappings: split.outsideMappings.filter((m) => m.anonymousBytes >= RECORDED_MAPPING_MINIMUM_BYTES) }
        : {}),
    };
  },
};
