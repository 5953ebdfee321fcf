import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeakgateIO } from '../../../src/LeakgateIO.js';
import { twinCommand } from '../../../src/cli/commands/twin.js';
import { LeakgateError, ExitCode } from '../../../src/errors.js';

function captureIO(cwd: string): LeakgateIO & { lines: string[] } {
  const lines: string[] = [];
  const keep = (t: string): void => void lines.push(t);
  return { out: keep, log: keep, write: keep, error: keep, tty: false, env: {}, cwd, lines };
}

describe('leakgate twin', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leakgate-twin-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a tiny twin and prints one line with path, bytes and seconds', async () => {
    const io = captureIO(dir);
    await expect(twinCommand.run(['--shape', 'tiny', '--seed', '7', 'out.bin'], io)).resolves.toBe(ExitCode.ok);
    const bytes = (await stat(join(dir, 'out.bin'))).size;
    expect(io.lines).toHaveLength(1);
    expect(io.lines[0]).toContain(join(dir, 'out.bin'));
    expect(io.lines[0]).toContain(`${bytes.toLocaleString('en-US')} bytes`);
    expect(io.lines[0]).toMatch(/ in \d+\.\d s /);
    expect(io.lines[0]).toContain('q4_0');
    expect(io.lines[0]).toMatch(/\)\n$/);
  });

  it.each([
    [['--shape', '7b', 'x.bin'], /--shape.*tiny, 0\.6b or 1\.7b/],
    [['x.bin'], /--shape is required/],
    [['--shape', 'tiny', '--type', 'q4_k', 'x.bin'], /--type.*q4_0/],
    [['--shape', 'tiny', '--seed', '-1', 'x.bin'], /--seed/],
    [['--shape', 'tiny', '--seed', '1.5', 'x.bin'], /--seed/],
    [['--shape', 'tiny', '--seed', '4294967296', 'x.bin'], /--seed/],
    [['--shape', 'tiny'], /missing output path/],
    [['--shape', 'tiny', 'a.bin', 'b.bin'], /one output path/],
    [['--shape', 'tiny', '--bogus', 'x.bin'], /--bogus/],
  ])('rejects %j with a usage error naming the flag', async (argv, message) => {
    const error = await twinCommand.run(argv, captureIO(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeakgateError);
    expect((error as LeakgateError).exitCode).toBe(ExitCode.usage);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses to overwrite an existing file unless --force is given', async () => {
    const path = join(dir, 'existing.bin');
    await writeFile(path, 'keep me');
    await expect(twinCommand.run(['--shape', 'tiny', path], captureIO(dir))).rejects.toThrow(/--force/);
    expect((await stat(path)).size).toBe(7);
    await expect(twinCommand.run(['--shape', 'tiny', '--force', path], captureIO(dir))).resolves.toBe(ExitCode.ok);
    expect((await stat(path)).size).toBeGreaterThan(100_000);
  });

  it('reports a missing output directory as a usage error', async () => {
    await expect(twinCommand.run(['--shape', 'tiny', join(dir, 'no/such/dir/x.bin')], captureIO(dir))).rejects.toThrow(
      /output directory does not exist/,
    );
  });

  it('prints usage for --help', async () => {
    const io = captureIO(dir);
    await expect(twinCommand.run(['--help'], io)).resolves.toBe(ExitCode.ok);
    expect(io.lines[0]).toContain('leakgate twin --shape');
  });
});
