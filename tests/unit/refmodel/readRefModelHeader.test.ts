import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRefModelHeader } from '../../../src/refmodel/readRefModelHeader.js';
import { writeRefModel } from '../../../src/refmodel/writeRefModel.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leakgate-refheader-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readRefModelHeader', () => {
  it('returns null for a file that is not a reference model', async () => {
    const gguf = join(dir, 'model.gguf');
    await writeFile(gguf, Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(4096, 7)]));
    expect(await readRefModelHeader(gguf)).toBeNull();
  });

  it('returns null for files shorter than the magic', async () => {
    const empty = join(dir, 'empty.bin');
    await writeFile(empty, '');
    expect(await readRefModelHeader(empty)).toBeNull();
    const short = join(dir, 'short.bin');
    await writeFile(short, 'LGREF');
    expect(await readRefModelHeader(short)).toBeNull();
  });

  it('rejects a truncated model, as the engine would', async () => {
    const path = join(dir, 'model.bin');
    await writeRefModel(path, { sizeBytes: 64 * 1024 });
    await truncate(path, 60 * 1024);
    await expect(readRefModelHeader(path)).rejects.toThrow(
      /reference model truncated or altered: .*model\.bin is 61440 bytes, its header says 65536/,
    );
  });

  it('rejects a model cut inside its header', async () => {
    const path = join(dir, 'model.bin');
    await writeRefModel(path, { sizeBytes: 64 * 1024 });
    await truncate(path, 50);
    await expect(readRefModelHeader(path)).rejects.toThrow(/reference model header truncated/);
  });

  it('rejects another format version, naming the fix', async () => {
    const path = join(dir, 'model.bin');
    await writeRefModel(path, { sizeBytes: 8192 });
    const bytes = await readFile(path);
    bytes.writeUInt32LE(1, 8);
    await writeFile(path, bytes);
    await expect(readRefModelHeader(path)).rejects.toThrow(
      /has format version 1, this leakgate reads version 2 \(regenerate it with leakgate make-ref-model\)/,
    );
  });

  it('rejects an unknown crash step code', async () => {
    const path = join(dir, 'model.bin');
    await writeRefModel(path, { sizeBytes: 8192 });
    const bytes = await readFile(path);
    bytes.writeUInt32LE(9, 88);
    await writeFile(path, bytes);
    await expect(readRefModelHeader(path)).rejects.toThrow(/bad crash step or kind/);
  });

  it('names a missing file and how to make one', async () => {
    await expect(readRefModelHeader(join(dir, 'nope.bin'))).rejects.toThrow(
      /model file not found: .*nope\.bin \(pass an existing file, or create one with leakgate make-ref-model\)/,
    );
  });

  it('rejects a directory', async () => {
    await expect(readRefModelHeader(dir)).rejects.toThrow(/model path is not a file/);
  });
});
