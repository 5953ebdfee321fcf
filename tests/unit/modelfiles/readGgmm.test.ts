import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeakgateError, ExitCode } from '../../../src/errors.js';
import { identifyModelFile } from '../../../src/modelfiles/identifyModelFile.js';
import { readGgmm } from '../../../src/modelfiles/readGgmm.js';
import { writeTwin } from '../../../src/twin/writeTwin.js';

describe('readGgmm and identifyModelFile', () => {
  let dir: string;
  let tinyPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leakgate-twin-'));
    tinyPath = join(dir, 'tiny.bin');
    await writeTwin(tinyPath, { shape: 'tiny', type: 'q4_0', seed: 3 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the header fields of a GGMM file written by hand', async () => {
    // smallest GGMM: empty meta, Qwen3 (0x755) type with its config struct, empty BPE vocab, no tensors
    const path = join(dir, 'hand.bin');
    const config = Buffer.alloc(8 + 4 * (11 + 11 + 128));
    config.writeInt32LE(0x755, 0);
    config.writeInt32LE(1, 4);
    config.writeInt32LE(8, 8); // dtype q8_0
    config.writeInt32LE(1234, 12); // vocab size
    config.writeFloatLE(10000, 8 + 4 * 13); // rope theta
    const vocab = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    const header = Buffer.alloc(20);
    header.write('ggmm', 0, 'latin1');
    header.writeUInt32LE(1, 4);
    header.writeUInt32LE(20, 8);
    header.writeUInt32LE(20 + config.length, 12);
    header.writeUInt32LE(20 + config.length + vocab.length, 16);
    await writeFile(path, Buffer.concat([header, config, vocab]));

    const file = await readGgmm(path);
    expect(file.meta).toBeNull();
    expect(file.modelTypeName).toBe('Qwen3');
    expect(file.config.dtype).toBe(8);
    expect(file.config.vocabSize).toBe(1234);
    expect(file.config.ropeTheta).toBe(10000);
    expect(file.vocab).toEqual({ tokenCount: 0, normalTokenCount: 0, mergeCount: 0, specialTokens: [] });
    expect(file.tensors).toEqual([]);
  });

  it('walks the tensor table with offsets that match the bytes on disk', async () => {
    const file = await readGgmm(tinyPath);
    const bytes = await readFile(tinyPath);
    const norm = file.tensors.find((t) => t.name === 'model.norm.weight');
    expect(norm).toMatchObject({ dims: [64], ggmlType: 'f32', dataBytes: 256 });
    // the record starts with the name length and name
    expect(bytes.readInt32LE(norm?.recordOffset ?? 0)).toBe('model.norm.weight'.length);
    expect(bytes.toString('utf8', (norm?.recordOffset ?? 0) + 4, (norm?.recordOffset ?? 0) + 21)).toBe('model.norm.weight');
  });

  it('rejects a file with a bad magic, naming the file and the expected magic', async () => {
    const path = join(dir, 'model.safetensors.bin');
    await writeFile(path, Buffer.from('PK\x03\x04 this is a zip, not a model', 'latin1'));
    const error = await readGgmm(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeakgateError);
    expect((error as LeakgateError).exitCode).toBe(ExitCode.usage);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('"ggmm"');
    expect((error as Error).message).not.toContain('\n');
    await expect(identifyModelFile(path)).rejects.toThrow(/not a model file/);
  });

  it('recognises the legacy "ggml" format without pretending to read it', async () => {
    const path = join(dir, 'legacy.bin');
    const legacy = Buffer.alloc(64);
    legacy.write('ggml', 0, 'latin1');
    legacy.writeInt32LE(0x755, 4);
    await writeFile(path, legacy);
    await expect(readGgmm(path)).rejects.toThrow(/legacy/);
    await expect(identifyModelFile(path)).resolves.toMatchObject({
      kind: 'model',
      description: 'chatllm.cpp model (legacy format), Qwen3, 64 bytes',
    });
  });

  it('rejects a truncated file', async () => {
    const path = join(dir, 'truncated.bin');
    const bytes = await readFile(tinyPath);
    await writeFile(path, bytes.subarray(0, bytes.length - 100));
    await expect(readGgmm(path)).rejects.toThrow(/truncated or corrupt/);
  });

  it('rejects a missing file with a LeakgateError', async () => {
    await expect(readGgmm(join(dir, 'nope.bin'))).rejects.toBeInstanceOf(LeakgateError);
    await expect(identifyModelFile(join(dir, 'nope.bin'))).rejects.toBeInstanceOf(LeakgateError);
  });

  it('describes a twin in one line', async () => {
    const kb = ((await readFile(tinyPath)).length / 1000).toFixed(1);
    await expect(identifyModelFile(tinyPath)).resolves.toMatchObject({
      kind: 'twin',
      description: `Qwen3-ASR twin, tiny shape, q4_0, ${kb} kB`,
    });
  });
});
