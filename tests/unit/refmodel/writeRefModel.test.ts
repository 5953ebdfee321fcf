import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeakgateError } from '../../../src/errors.js';
import type { RefModelSpec } from '../../../src/refmodel/RefModelSpec.js';
import { readRefModelHeader } from '../../../src/refmodel/readRefModelHeader.js';
import { writeRefModel } from '../../../src/refmodel/writeRefModel.js';
import { MIB } from '../../../src/units.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leakgate-refmodel-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every field away from its default, so a field the writer or reader drops shows up. */
const everyField: RefModelSpec = {
  sizeBytes: MIB + 12_345,
  heapBytes: 3 * MIB + 1,
  kvBytes: 777_777,
  leakPerLoadBytes: 2 ** 40 + 3,
  leakPerInferBytes: 65_537,
  plateauLoads: 4,
  plateauBytes: 2 * MIB,
  noiseBytes: 123_456,
  fragmentBytes: 9 * MIB + 5,
  fragmentPinBytes: 65_539,
  mmapLeakPerLoadBytes: 3 * MIB + 7,
  ttftMs: 250,
  charMs: 17,
  keepMapping: true,
  keepFd: false,
  keepThread: true,
  threadOnce: true,
  leakEveryOtherLoad: false,
  leakAsMmap: true,
  splitMarkers: true,
  crash: { step: 'unload', iteration: 7, kind: 'segv' },
  hang: { step: 'infer', iteration: 2 },
  transcript: 'héllo 😀 零九',
};

describe('writeRefModel', () => {
  it('round-trips every field through readRefModelHeader', async () => {
    const path = join(dir, 'every.bin');
    const written = await writeRefModel(path, everyField);
    expect(written).toEqual(everyField);
    expect(await readRefModelHeader(path)).toEqual(everyField);
    expect((await stat(path)).size).toBe(everyField.sizeBytes);
  });

  it('round-trips each flag on its own (no bit bleeds into another)', async () => {
    const flags = ['keepMapping', 'keepFd', 'keepThread', 'splitMarkers', 'threadOnce'] as const;
    for (const flag of flags) {
      const path = join(dir, `${flag}.bin`);
      await writeRefModel(path, { sizeBytes: 4096, [flag]: true });
      const spec = await readRefModelHeader(path);
      expect(spec?.[flag]).toBe(true);
      const others = flags.filter((f) => f !== flag);
      expect(others.map((f) => spec?.[f])).toEqual([false, false, false, false]);
    }
  });

  it('lays the header out at the offsets the C engine reads', async () => {
    const path = join(dir, 'layout.bin');
    await writeRefModel(path, everyField);
    const bytes = await readFile(path);
    // UTF-8 bytes of 'héllo 😀 零九': h é llo ␠ 😀 ␠ 零九 = 1 + 2 + 3 + 1 + 4 + 1 + 6 = 18
    expect(Buffer.byteLength(everyField.transcript)).toBe(18);
    expect(bytes.toString('ascii', 0, 8)).toBe('LGREFMDL');
    expect(bytes.readUInt32LE(8)).toBe(2);
    expect(bytes.readUInt32LE(12)).toBe(128 + 18);
    expect(bytes.readBigUInt64LE(16)).toBe(BigInt(MIB + 12_345));
    expect(bytes.readBigUInt64LE(24)).toBe(BigInt(3 * MIB + 1));
    expect(bytes.readBigUInt64LE(32)).toBe(777_777n);
    expect(bytes.readBigUInt64LE(40)).toBe(2n ** 40n + 3n);
    expect(bytes.readBigUInt64LE(48)).toBe(65_537n);
    expect(bytes.readBigUInt64LE(56)).toBe(BigInt(2 * MIB));
    expect(bytes.readBigUInt64LE(64)).toBe(123_456n);
    expect(bytes.readUInt32LE(72)).toBe(4);
    expect(bytes.readUInt32LE(76)).toBe(250);
    expect(bytes.readUInt32LE(80)).toBe(17);
    expect(bytes.readUInt32LE(84)).toBe(0b1011101); // keepMapping | keepThread | splitMarkers | threadOnce | leakAsMmap
    expect([bytes.readUInt32LE(88), bytes.readUInt32LE(92), bytes.readUInt32LE(96)]).toEqual([3, 7, 2]);
    expect([bytes.readUInt32LE(100), bytes.readUInt32LE(104)]).toEqual([2, 2]);
    expect(bytes.readUInt32LE(108)).toBe(18);
    expect(bytes.readBigUInt64LE(112)).toBe(BigInt(9 * MIB + 5));
    expect(bytes.readUInt32LE(120)).toBe(65_539);
    expect(bytes.readUInt32LE(124)).toBe(3 * MIB + 7);
    expect(bytes.toString('utf8', 128, 146)).toBe(everyField.transcript);
  });

  it('fills the documented defaults', async () => {
    const path = join(dir, 'defaults.bin');
    const spec = await writeRefModel(path, {});
    expect(spec).toEqual({
      sizeBytes: 32 * MIB,
      heapBytes: 32 * MIB,
      kvBytes: 4 * MIB,
      leakPerLoadBytes: 0,
      leakPerInferBytes: 0,
      plateauLoads: 0,
      plateauBytes: 0,
      noiseBytes: 0,
      fragmentBytes: 0,
      fragmentPinBytes: 0,
      mmapLeakPerLoadBytes: 0,
      ttftMs: 20,
      charMs: 2,
      keepMapping: false,
      keepFd: false,
      keepThread: false,
      threadOnce: false,
      leakEveryOtherLoad: false,
      leakAsMmap: false,
      splitMarkers: false,
      crash: null,
      hang: null,
      transcript: '零九零零零七三三三一',
    });
    expect((await stat(path)).size).toBe(32 * MIB);
  });

  it('derives heap and KV defaults from an explicit size (KV rounds down)', async () => {
    const spec = await writeRefModel(join(dir, 'derived.bin'), { sizeBytes: 100_003 });
    expect(spec.heapBytes).toBe(100_003);
    expect(spec.kvBytes).toBe(12_500);
  });

  it('pads with distinct non-zero pages, including the partial last chunk', async () => {
    const path = join(dir, 'padding.bin');
    await writeRefModel(path, { sizeBytes: 2 * MIB + 8192 + 100 });
    const bytes = await readFile(path);
    const pages = new Set<string>();
    for (let offset = 4096; offset + 4096 <= bytes.length; offset += 4096) {
      const page = bytes.subarray(offset, offset + 4096);
      expect(page.some((b) => b !== 0)).toBe(true);
      pages.add(page.toString('base64'));
    }
    expect(pages.size).toBe(Math.floor(bytes.length / 4096) - 1);
    expect(bytes.subarray(bytes.length - 100).some((b) => b !== 0)).toBe(true);
  });

  it('writes a header longer than one 1 MiB chunk intact', async () => {
    const transcript = '语'.repeat(400_000); // 1.2 MB of UTF-8
    const path = join(dir, 'long.bin');
    await writeRefModel(path, { sizeBytes: 3 * MIB, transcript });
    expect((await readRefModelHeader(path))?.transcript).toBe(transcript);
  });

  it('replaces an existing file and leaves no temporary file behind', async () => {
    const path = join(dir, 'model.bin');
    await writeFile(path, 'old contents');
    await writeRefModel(path, { sizeBytes: 8192 });
    expect((await stat(path)).size).toBe(8192);
    expect(await readdir(dir)).toEqual(['model.bin']);
  });

  it('rejects a size smaller than the header, naming the field', async () => {
    await expect(writeRefModel(join(dir, 'tiny.bin'), { sizeBytes: 100 })).rejects.toThrow(
      /sizeBytes 100 is smaller than its header \(158 bytes\)/,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    [{ leakPerLoadBytes: -1 }, /leakPerLoadBytes must be a whole number of bytes/],
    [{ heapBytes: 1.5 }, /heapBytes must be a whole number of bytes/],
    [{ ttftMs: 2 ** 32 }, /ttftMs must be a whole number in 0\.\.4294967295/],
    [{ crash: { step: 'load', iteration: 0, kind: 'abort' } }, /crash\.iteration must be a whole number >= 1/],
    [{ hang: { step: 'boot' as 'load', iteration: 1 } }, /hang\.step must be load, infer or unload/],
    [{ crash: { step: 'load', iteration: 1, kind: 'toString' as 'abort' } }, /crash\.kind must be abort, segv or kill/],
  ] satisfies Array<[Partial<RefModelSpec>, RegExp]>)('rejects invalid %o', async (spec, message) => {
    const error = await writeRefModel(join(dir, 'bad.bin'), { sizeBytes: 4096, ...spec }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeakgateError);
    expect((error as LeakgateError).message).toMatch(message);
    expect((error as LeakgateError).exitCode).toBe(2);
  });

  it('reports an unwritable destination as a usage error and writes nothing', async () => {
    const path = join(dir, 'missing-dir', 'model.bin');
    await expect(writeRefModel(path, { sizeBytes: 4096 })).rejects.toThrow(/cannot write reference model .*ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });
});
