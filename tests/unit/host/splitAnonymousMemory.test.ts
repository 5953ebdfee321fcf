import { describe, expect, it } from 'vitest';
import { parseSmaps } from '../../../src/host/parseSmaps.js';
import { arenaHeapIndexes, splitAnonymousMemory } from '../../../src/host/splitAnonymousMemory.js';
import { KIB, MIB } from '../../../src/units.js';

/** One smaps entry: the header line and the fields leakgate reads (plus one it must skip). */
const entry = (range: string, perms: string, inode: string, name: string, anonymousKb: number): string =>
  `${range} ${perms} 00000000 00:00 ${inode}${name ? `                          ${name}` : ''}\n` +
  `Size:               4 kB\nRss:                4 kB\nAnonymous:      ${anonymousKb} kB\nVmFlags: rd wr mr mw me ac\n`;

// Laid out as a glibc process shows it (addresses from a real worker):
const smaps = [
  entry('55d0c0a00000-55d0c0c00000', 'rw-p', '0', '[heap]', 3000), //               main arena: 3000 kB
  entry('7fc0ec000000-7fc0ec065000', 'rw-p', '0', '', 400), //                      arena heap (64 MiB-aligned) ...
  entry('7fc0ec065000-7fc0f0000000', '---p', '0', '', 0), //                        ... its PROT_NONE tail to the boundary
  entry('7fc11c000000-7fc124000000', 'rw-p', '0', '', 1000), //                     two full arena heaps merged (128 MiB)
  entry('7fc0fc000000-7fc0fc002000', 'rw-p', '0', '', 8), //                        aligned, but its guard ends short: not an arena
  entry('7fc0fc002000-7fc0fc003000', '---p', '0', '', 0),
  entry('7fc200000000-7fc200040000', 'rw-p', '0', '', 256), //                      aligned JS page inside a 4 GiB reservation
  entry('7fc200040000-7fc300000000', '---p', '0', '', 0),
  entry('7fc3a0000000-7fc3a0900000', 'rw-p', '0', '', 9216), //                     the engine's own mmap: 9 MiB
  entry('7fc3b0000000-7fc3b0100000', 'rw-p', '0', '', 0), //                    untouched: nothing resident
  entry('7fc3c0000000-7fc3c0010000', 'rw-p', '1234', '/usr/lib/libfoo.so', 12), //  private copies of a library's pages
  entry('7ffea80b8000-7ffea80d9000', 'rw-p', '0', '[stack]', 68),
].join('');

describe('parseSmaps', () => {
  it('reads each mapping with its range, perms, name, whether it is anonymous, and Anonymous: in bytes', () => {
    const mappings = parseSmaps(smaps);
    expect(mappings).toHaveLength(12);
    expect(mappings[0]).toEqual({
      startAddress: 0x55d0c0a00000n,
      endAddress: 0x55d0c0c00000n,
      perms: 'rw-p',
      name: '[heap]',
      anonymous: true,
      anonymousBytes: 3000 * KIB,
    });
    expect(mappings[10]).toMatchObject({ name: '/usr/lib/libfoo.so', anonymous: false, anonymousBytes: 12 * KIB });
    expect(mappings[1]!.name).toBe('');
  });
});

describe('splitAnonymousMemory', () => {
  it('finds non-main arena heaps by their 64 MiB alignment and reservation, not JS pages or guarded mappings', () => {
    expect([...arenaHeapIndexes(parseSmaps(smaps))].sort((a, b) => a - b)).toEqual([1, 2, 3]);
  });

  it("counts [heap] and arena heaps as malloc's, the rest as outside malloc less its mmapped chunks", () => {
    const split = splitAnonymousMemory(parseSmaps(smaps), 2 * MIB);
    expect(split.mallocArenaBytes).toBe((3000 + 400 + 1000) * KIB);
    // 8 + 256 + 9216 + 12 + 68 kB outside, less 2 MiB of malloc's own mmapped chunks
    expect(split.outsideMallocBytes).toBe((8 + 256 + 9216 + 12 + 68) * KIB - 2 * MIB);
    expect(split.outsideMappings.map((m) => m.range)).toEqual([
      '0x7fc0fc000000-0x7fc0fc002000',
      '0x7fc200000000-0x7fc200040000',
      '0x7fc3a0000000-0x7fc3a0900000',
      '0x7fc3c0000000-0x7fc3c0010000',
      '0x7ffea80b8000-0x7ffea80d9000',
    ]);
    expect(split.outsideMappings[2]).toEqual({
      range: '0x7fc3a0000000-0x7fc3a0900000',
      sizeBytes: 9 * MIB,
      anonymousBytes: 9 * MIB,
      name: '',
    });
  });

  /** The read-write size of [heap] and the arena heaps above: what mallinfo2's arena says when all of it is found. */
  const ARENA_MAPPED_BYTES = 0x200000 + 0x65000 + 0x8000000;

  it('with every byte of mallinfo2 arena found by address, the split is the same (the control)', () => {
    expect(splitAnonymousMemory(parseSmaps(smaps), 2 * MIB, ARENA_MAPPED_BYTES)).toEqual(splitAnonymousMemory(parseSmaps(smaps), 2 * MIB));
  });

  it("counts arena memory glibc mmapped when brk could not grow [heap] as malloc's, not outside malloc", () => {
    const plain = splitAnonymousMemory(parseSmaps(smaps), 2 * MIB);
    const split = splitAnonymousMemory(parseSmaps(smaps), 2 * MIB, ARENA_MAPPED_BYTES + 6 * MIB);
    expect(split.mallocArenaBytes).toBe(plain.mallocArenaBytes + 6 * MIB);
    expect(split.outsideMallocBytes).toBe(plain.outsideMallocBytes! - 6 * MIB);
  });

  it('never takes more out of outside malloc than it holds', () => {
    const split = splitAnonymousMemory(parseSmaps(smaps), 2 * MIB, ARENA_MAPPED_BYTES + 1024 * MIB);
    expect(split.outsideMallocBytes).toBe(0);
  });

  // glibc >= 2.39 with GLIBC_TUNABLES=glibc.mem.decorate_maps=1 names malloc's mappings:
  const decorated = [
    entry('55d0c0a00000-55d0c0cee000', 'rw-p', '0', '[heap]', 3000), //                      main arena: 3000 KiB
    entry('7fc0ec000000-7fc0ec065000', 'rw-p', '0', '[anon: glibc: malloc arena]', 400), //  arena heap, 404 KiB rw ...
    entry('7fc0ec065000-7fc0f0000000', '---p', '0', '', 0), //                                 ... its PROT_NONE tail
    entry('7fc3d0000000-7fc3d0101000', 'rw-p', '0', '[anon: glibc: malloc]', 1028), //       a chunk malloc mmapped (hblkhd)
    entry('7fc3d0200000-7fc3d0301000', 'rw-p', '0', '[anon: glibc: malloc]', 1028), //       another (hblkhd)
    entry('7fc3e0000000-7fc3e0400000', 'rw-p', '0', '[anon: glibc: malloc]', 4096), //       main arena grown by mmap, not brk
    entry('7fc3a0000000-7fc3a0900000', 'rw-p', '0', '', 9216), //                              the engine's own mmap: 9 MiB
    entry('7ffea80b8000-7ffea80d9000', 'rw-p', '0', '[stack]', 68),
  ].join('');

  it('with decorated maps, counts only [heap] and "malloc arena" heaps as arenas by name; mmapped chunks once', () => {
    const hblkhdBytes = 2 * 1028 * KIB;
    // mallinfo2 arena: [heap], the arena heap's read-write part and the main arena's 4 MiB mmapped extension.
    const mallinfoArenaBytes = 0x2ee000 + 0x65000 + 0x400000;
    const split = splitAnonymousMemory(parseSmaps(decorated), hblkhdBytes, mallinfoArenaBytes);
    expect(split.mallocArenaBytes).toBe((3000 + 400 + 4096) * KIB);
    // 1028 + 1028 + 4096 + 9216 + 68 KiB outside the arenas found by name, less hblkhd and the 4 MiB extension:
    // the engine's mmap and the stack.
    expect(split.outsideMallocBytes).toBe((9216 + 68) * KIB);
    expect(split.outsideMappings.map((m) => m.name)).toEqual([
      '[anon: glibc: malloc]',
      '[anon: glibc: malloc]',
      '[anon: glibc: malloc]',
      '',
      '[stack]',
    ]);
  });

  it('leaves outside malloc unknown without mallinfo2 (off glibc)', () => {
    expect(splitAnonymousMemory(parseSmaps(smaps), null).outsideMallocBytes).toBeNull();
  });
});
