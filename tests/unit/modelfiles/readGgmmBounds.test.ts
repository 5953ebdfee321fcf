import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, LeakgateError } from '../../../src/errors.js';
import { identifyModelFile } from '../../../src/modelfiles/identifyModelFile.js';
import { maxGgmmTensorNameBytes, maxGgmmTensors, readGgmmFrom, type GgmmByteSource } from '../../../src/modelfiles/readGgmm.js';
import { MIB } from '../../../src/units.js';

/**
 * A GGMM head (empty meta padded to 4 bytes, a Qwen3 config struct, an empty BPE vocabulary) ending on
 * a 16-byte boundary, so equal records repeat at equal offsets.
 */
function ggmmHead(): Buffer {
  const meta = Buffer.alloc(4);
  const config = Buffer.alloc(8 + 4 * (11 + 11 + 128));
  config.writeInt32LE(0x755, 0);
  config.writeInt32LE(1, 4);
  const vocab = Buffer.alloc(8, 0xff);
  const header = Buffer.alloc(20);
  header.write('ggmm', 0, 'latin1');
  header.writeUInt32LE(1, 4);
  header.writeUInt32LE(20 + meta.length, 8);
  header.writeUInt32LE(20 + meta.length + config.length, 12);
  header.writeUInt32LE(20 + meta.length + config.length + vocab.length, 16);
  const head = Buffer.concat([header, meta, config, vocab]);
  expect(head.length % 16).toBe(0);
  return head;
}

/**
 * One record as convert.py writes it: name "t", the dims given, f32, padded to 16, then its data (a
 * multiple of 16 bytes keeps the next record where a repeat of this one puts it).
 */
function tensorRecord(dims: number[], nameBytes = 1): Buffer {
  const fixed = 4 + 1 + 4 + 4 * dims.length + 4;
  const dataBytes =
    4 *
    Math.max(
      0,
      dims.reduce((a, b) => a * b, 1),
    );
  const record = Buffer.alloc(Math.ceil(fixed / 16) * 16 + dataBytes);
  let at = record.writeInt32LE(nameBytes, 0);
  at += record.write('t', at, 'latin1');
  at = record.writeInt32LE(dims.length, at);
  for (const d of dims) at = record.writeInt32LE(d, at);
  record.writeInt32LE(0, at);
  return record;
}

/** A byte source over `bytes` that counts its reads and the bytes they asked for. */
function countingSource(bytes: Buffer): { read: GgmmByteSource; reads: number; bytesAsked: number; largestAsked: number } {
  const source = {
    reads: 0,
    bytesAsked: 0,
    largestAsked: 0,
    read: async (position: number, length: number): Promise<Buffer> => {
      source.reads++;
      source.bytesAsked += length;
      source.largestAsked = Math.max(source.largestAsked, length);
      return bytes.subarray(position, position + length);
    },
  };
  return source;
}

async function rejection(promise: Promise<unknown>): Promise<LeakgateError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LeakgateError);
  expect((error as LeakgateError).exitCode).toBe(ExitCode.usage);
  expect((error as Error).message).not.toContain('\n');
  return error as LeakgateError;
}

describe('readGgmm bounds its work on hostile tensor tables', () => {
  it('walks 300,000 tiny tensors in a few dozen reads, not one per record', async () => {
    const record = tensorRecord([4]);
    const bytes = Buffer.concat([ggmmHead(), Buffer.concat(Array.from({ length: 300_000 }, () => record))]);
    const source = countingSource(bytes);
    const file = await readGgmmFrom('many.bin', bytes.length, source.read);
    expect(file.tensors).toHaveLength(300_000);
    expect(file.tensors[299_999]).toMatchObject({ name: 't', dims: [4], dataBytes: 16 });
    // ~14 MB of records through windows of up to 1 MiB; today's reader made 300,000 reads
    expect(source.reads).toBeLessThan(2 * Math.ceil(bytes.length / MIB) + 16);
    expect(source.bytesAsked).toBeLessThan(2 * bytes.length);
  });

  it('reads a record alone after a large tensor, not a window of data it skips', async () => {
    const big = tensorRecord([MIB / 2]); // 2 MiB of f32 data
    const bytes = Buffer.concat([ggmmHead(), big, big, big, big]);
    const source = countingSource(bytes);
    const file = await readGgmmFrom('big.bin', bytes.length, source.read);
    expect(file.tensors).toHaveLength(4);
    // 4 sections + 4 records, each record read as at most 8 KiB
    expect(source.bytesAsked).toBeLessThan(64 * 1024);
  });

  it(`refuses more than ${maxGgmmTensors} tensor records, naming the file and the fix`, async () => {
    const record = tensorRecord([4]);
    const bytes = Buffer.concat([ggmmHead(), Buffer.concat(Array.from({ length: maxGgmmTensors + 1 }, () => record))]);
    const error = await rejection(readGgmmFrom('/m/hostile.bin', bytes.length, countingSource(bytes).read));
    expect(error.message).toContain('/m/hostile.bin');
    expect(error.message).toContain(`more than ${maxGgmmTensors} tensor records`);
    expect(error.message).toContain('convert.py');
  });

  it('refuses a negative dimension instead of walking the table backwards for ever', async () => {
    // 32 bytes of record, then -32 bytes of "data": the next record would be this one again
    const bytes = Buffer.concat([ggmmHead(), tensorRecord([-8]), Buffer.alloc(64)]);
    const error = await rejection(readGgmmFrom('loop.bin', bytes.length, countingSource(bytes).read));
    expect(error.message).toMatch(/tensor "t" has dimensions -8/);
  });

  it('identifyModelFile refuses a model file whose tensor table loops (it hung before)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leakgate-ggmm-loop-'));
    try {
      const path = join(dir, 'loop.bin');
      await writeFile(path, Buffer.concat([ggmmHead(), tensorRecord([-8]), Buffer.alloc(64)]));
      const error = await rejection(identifyModelFile(path));
      expect(error.message).toContain(path);
      expect(error.message).toContain('dimensions -8');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a tensor name length past the cap before reading it', async () => {
    const record = tensorRecord([1], maxGgmmTensorNameBytes + 1);
    const bytes = Buffer.concat([ggmmHead(), record, Buffer.alloc(maxGgmmTensorNameBytes + 64)]);
    const source = countingSource(bytes);
    const error = await rejection(readGgmmFrom('name.bin', bytes.length, source.read));
    expect(error.message).toContain(`bad tensor name length ${maxGgmmTensorNameBytes + 1}`);
  });

  it('refuses a section larger than a model has before allocating it', async () => {
    const head = ggmmHead();
    // the tokenizer section claims 3 GiB of a 3 GiB + header file
    const claimedBytes = 3 * 1024 * MIB;
    head.writeUInt32LE(claimedBytes, 16);
    const source = countingSource(head);
    const error = await rejection(readGgmmFrom('huge.bin', claimedBytes + 4096, source.read));
    expect(error.message).toMatch(/its tokenizer section is 3\.0 GiB, at most 64\.0 MiB/);
    expect(source.largestAsked).toBeLessThan(MIB);
  });
});
