import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeakgateIO } from '../../../src/LeakgateIO.js';
import { LeakgateError } from '../../../src/errors.js';
import { makeRefModelCommand } from '../../../src/cli/commands/makeRefModel.js';
import { readRefModelHeader } from '../../../src/refmodel/readRefModelHeader.js';
import { MIB } from '../../../src/units.js';

let dir: string;
let printed: string[];
let io: LeakgateIO;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leakgate-makeref-'));
  printed = [];
  const keep = (text: string): void => void printed.push(text);
  io = { out: keep, log: keep, write: keep, error: keep, tty: false, env: {}, cwd: dir };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function usageErrorOf(argv: string[]): Promise<LeakgateError> {
  const error = await makeRefModelCommand.run(argv, io).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LeakgateError);
  expect((error as LeakgateError).exitCode).toBe(2);
  return error as LeakgateError;
}

describe('make-ref-model', () => {
  it('writes every option into the header, relative to cwd', async () => {
    const code = await makeRefModelCommand.run(
      [
        'leaky.bin',
        '--size',
        '1.5MiB',
        '--heap',
        '2MiB',
        '--kv',
        '64KiB',
        '--transcript',
        '你好',
        '--ttft-ms',
        '5',
        '--char-ms',
        '0',
        '--leak-per-load',
        '1MiB',
        '--leak-per-infer',
        '4096',
        '--plateau-loads',
        '3',
        '--plateau-bytes',
        '512KiB',
        '--noise-bytes',
        '256KiB',
        '--fragment',
        '8MiB',
        '--fragment-pin',
        '64KiB',
        '--mmap-leak-per-load',
        '1MiB',
        '--keep-mapping',
        '--keep-fd',
        '--keep-thread',
        '--thread-once',
        '--split-markers',
        '--leak-every-other-load',
        '--crash-at',
        'infer:3:segv',
        '--hang-at',
        'unload:2',
      ],
      io,
    );
    expect(code).toBe(0);
    expect(await readRefModelHeader(join(dir, 'leaky.bin'))).toEqual({
      sizeBytes: 1_572_864,
      heapBytes: 2_097_152,
      kvBytes: 65_536,
      leakPerLoadBytes: MIB,
      leakPerInferBytes: 4096,
      plateauLoads: 3,
      plateauBytes: 524_288,
      noiseBytes: 262_144,
      fragmentBytes: 8_388_608,
      fragmentPinBytes: 65_536,
      mmapLeakPerLoadBytes: MIB,
      ttftMs: 5,
      charMs: 0,
      keepMapping: true,
      keepFd: true,
      keepThread: true,
      threadOnce: true,
      leakEveryOtherLoad: true,
      leakAsMmap: false,
      splitMarkers: true,
      crash: { step: 'infer', iteration: 3, kind: 'segv' },
      hang: { step: 'unload', iteration: 2 },
      transcript: '你好',
    });
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain(`wrote reference model ${join(dir, 'leaky.bin')}: 1.5MiB file`);
    expect(printed[0]).toContain('leaks 1MiB/load');
    expect(printed[0]).toContain('strands 8MiB/load behind 64KiB pins');
    expect(printed[0]).toContain('leaks 1MiB/load by mmap (outside malloc)');
    expect(printed[0]).toContain('crash (segv) at infer:3');
  });

  it('defaults the crash kind to abort', async () => {
    await makeRefModelCommand.run(['m.bin', '--size', '64KiB', '--crash-at', 'load:2'], io);
    expect((await readRefModelHeader(join(dir, 'm.bin')))?.crash).toEqual({ step: 'load', iteration: 2, kind: 'abort' });
  });

  it.each([
    [['m.bin', '--size', '16MB'], /--size "16MB": unit MB is ambiguous/],
    [['m.bin', '--leak-per-load', 'lots'], /--leak-per-load "lots" is not a size/],
    [['m.bin', '--ttft-ms', '1.5'], /--ttft-ms "1\.5" is not a whole number \(pass e\.g\. --ttft-ms 20\)/],
    [['m.bin', '--ttft-ms', '-3'], /Option '--ttft-ms' argument is ambiguous/],
    [['m.bin', '--plateau-loads', '3'], /--plateau-loads and --plateau-bytes go together/],
    [['m.bin', '--plateau-bytes', '1MiB'], /--plateau-loads and --plateau-bytes go together/],
    [['m.bin', '--crash-at', 'boot:1'], /--crash-at "boot:1" is not STEP:N\[:KIND\]/],
    [['m.bin', '--crash-at', 'load'], /--crash-at "load": iteration must be a whole number >= 1/],
    [['m.bin', '--crash-at', 'load:0'], /iteration must be a whole number >= 1 \(loads count from 1/],
    [['m.bin', '--crash-at', 'load:1:boom'], /--crash-at "load:1:boom": crash kind must be abort, segv or kill/],
    [['m.bin', '--crash-at', 'load:1:abort:x'], /is not STEP:N\[:KIND\]/],
    [['m.bin', '--hang-at', 'infer:1:segv'], /--hang-at "infer:1:segv" is not STEP:N \(/],
    [['m.bin', '--size', '100'], /--size 100 is smaller than the model header \(158 bytes/],
    [['m.bin', '--bogus'], /make-ref-model: Unknown option '--bogus'/],
    [['m.bin', '--keep-fd=yes'], /Option '--keep-fd' does not take an argument/],
    [['m.bin', '--size'], /Option '--size <value>' argument missing/],
    [[], /make-ref-model needs the output path/],
    [['a.bin', 'b.bin'], /takes one output path, got 2: a\.bin b\.bin/],
  ])('rejects %j', async (argv, message) => {
    const error = await usageErrorOf(argv);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(await readdir(dir)).toEqual([]);
  });

  it('prints usage for --help without writing anything', async () => {
    expect(await makeRefModelCommand.run(['--help'], io)).toBe(0);
    expect(printed.join('\n')).toContain('Usage: leakgate make-ref-model OUT [options]');
    expect(await readdir(dir)).toEqual([]);
  });
});
