import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import type { FfmpegChoice } from '../../../src/ffmpeg/FfmpegChoice.js';
import { packagedFfmpegPath } from '../../../src/ffmpeg/packagedFfmpegPath.js';
import { resolveFfmpeg } from '../../../src/ffmpeg/resolveFfmpeg.js';

const scratch = mkdtempSync(join(tmpdir(), 'leakgate-ffmpeg-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A folder holding a fake `name` that prints "ffmpeg version VERSION" like the real one. */
function fakeFfmpeg(
  folder: string,
  version: string,
  { name = 'ffmpeg', mode = 0o755, body }: { name?: string; mode?: number; body?: string } = {},
): string {
  const directory = join(scratch, folder);
  mkdirSync(directory, { recursive: true });
  const path = join(directory, name);
  writeFileSync(path, `#!/bin/sh\n${body ?? `echo "ffmpeg version ${version} Copyright (c) 2000-2024 the FFmpeg developers"`}\n`);
  chmodSync(path, mode);
  return path;
}

const emptyBin = join(scratch, 'empty');
mkdirSync(emptyBin);
const onPath = fakeFfmpeg('on-path', '6.1-path');
const packaged = fakeFfmpeg('packaged', 'N-packaged');
const explicit = fakeFfmpeg('explicit', '7.0-explicit');
const fromEnv = fakeFfmpeg('from-env', '5.1-env');
const noPackage = (): string | null => null;

function expectError(choice: FfmpegChoice, exitCode: number, fragments: string[]): string {
  expect(choice.found).toBeNull();
  const message = choice.error!.message;
  expect(choice.error!.exitCode, message).toBe(exitCode);
  expect(message).not.toContain('\n');
  for (const fragment of fragments) expect(message).toContain(fragment);
  return message;
}

describe('resolveFfmpeg: the order', () => {
  it('takes --ffmpeg, then LEAKGATE_FFMPEG, then PATH, then the packaged one, and asks each its version', async () => {
    const env = { PATH: `${emptyBin}:${join(scratch, 'on-path')}`, LEAKGATE_FFMPEG: fromEnv };
    expect((await resolveFfmpeg(explicit, env, scratch, () => packaged)).found).toEqual({
      path: explicit,
      source: '--ffmpeg',
      version: '7.0-explicit',
    });
    expect((await resolveFfmpeg(undefined, env, scratch, () => packaged)).found).toEqual({
      path: fromEnv,
      source: 'LEAKGATE_FFMPEG',
      version: '5.1-env',
    });
    expect((await resolveFfmpeg(undefined, { PATH: env.PATH }, scratch, () => packaged)).found).toEqual({
      path: onPath,
      source: 'PATH',
      version: '6.1-path',
    });
    expect((await resolveFfmpeg(undefined, { PATH: emptyBin }, scratch, () => packaged)).found).toEqual({
      path: packaged,
      source: 'packaged',
      version: 'N-packaged',
    });
  });

  it('resolves a relative --ffmpeg against the working directory', async () => {
    const choice = await resolveFfmpeg('explicit/ffmpeg', { PATH: emptyBin }, scratch, noPackage);
    expect(choice.found?.path).toBe(explicit);
  });
});

describe('resolveFfmpeg: none anywhere', () => {
  it('is an environment error (exit 4) naming the fix, when nothing is on PATH and the package is absent', async () => {
    expectError(await resolveFfmpeg(undefined, { PATH: emptyBin }, scratch, noPackage), ExitCode.environment, [
      'ffmpeg not found: none on PATH, and no packaged one (@ffmpeg-installer/ffmpeg for',
      'fix: npm install, pass --ffmpeg PATH, or apt-get install ffmpeg',
    ]);
  });

  it('says so when the packaged binary is missing from its package', async () => {
    const gone = join(scratch, 'no-such-package', 'ffmpeg');
    expectError(await resolveFfmpeg(undefined, { PATH: emptyBin }, scratch, () => gone), ExitCode.environment, [
      `the packaged binary is missing: ${gone}`,
    ]);
  });

  it('LEAKGATE_PACKAGED_FFMPEG=0 skips the packaged one, and the error says how to undo it', async () => {
    const choice = await resolveFfmpeg(undefined, { PATH: emptyBin, LEAKGATE_PACKAGED_FFMPEG: '0' }, scratch, () => packaged);
    expectError(choice, ExitCode.environment, ['LEAKGATE_PACKAGED_FFMPEG=0 turns off', 'fix: unset LEAKGATE_PACKAGED_FFMPEG']);
    // It only switches off the packaged one: PATH still counts.
    const withPath = await resolveFfmpeg(
      undefined,
      { PATH: join(scratch, 'on-path'), LEAKGATE_PACKAGED_FFMPEG: '0' },
      scratch,
      () => packaged,
    );
    expect(withPath.found?.source).toBe('PATH');
  });
});

describe('resolveFfmpeg: a named ffmpeg must be usable, never skipped for the next', () => {
  it('--ffmpeg to a missing file: usage error (exit 2) naming it, even with ffmpeg on PATH', async () => {
    const missing = join(scratch, 'nope', 'ffmpeg');
    expectError(await resolveFfmpeg(missing, { PATH: join(scratch, 'on-path') }, scratch, () => packaged), ExitCode.usage, [
      `ffmpeg not found: ${missing}`,
      'from --ffmpeg',
    ]);
  });

  it('LEAKGATE_FFMPEG to a missing file: usage error naming the variable', async () => {
    const missing = join(scratch, 'nope', 'ffmpeg');
    expectError(
      await resolveFfmpeg(undefined, { PATH: join(scratch, 'on-path'), LEAKGATE_FFMPEG: missing }, scratch, () => packaged),
      ExitCode.usage,
      [missing, 'LEAKGATE_FFMPEG'],
    );
  });

  it('a folder, a file not called ffmpeg, a file that is not executable: usage errors with the fix', async () => {
    expectError(await resolveFfmpeg(scratch, {}, scratch, noPackage), ExitCode.usage, [`ffmpeg is not a file: ${scratch}`]);
    const renamed = fakeFfmpeg('renamed', '6.0', { name: 'ffmpeg-6.0' });
    expectError(await resolveFfmpeg(renamed, {}, scratch, noPackage), ExitCode.usage, ['must be a file called ffmpeg', `ln -s ${renamed}`]);
    const plain = fakeFfmpeg('plain', '6.0', { mode: 0o644 });
    expectError(await resolveFfmpeg(plain, {}, scratch, noPackage), ExitCode.usage, [
      `ffmpeg is not executable: ${plain}`,
      `chmod u+x ${plain}`,
    ]);
    expect(statSync(plain).mode & 0o111).toBe(0); // the user's file is left as it was
  });

  it('an ffmpeg that does not answer -version as ffmpeg does: environment error (exit 4)', async () => {
    const fails = fakeFfmpeg('fails', '', { body: 'exit 1' });
    expectError(await resolveFfmpeg(fails, {}, scratch, noPackage), ExitCode.environment, [
      `ffmpeg does not run: ${fails}`,
      '-version exited with 1',
    ]);
    const _silent = fakeFfmpeg('silent', '', { body: 'echo hello' });
    expectError(await resolveFfmpeg(undefined, { PATH: join(scratch, 'silent') }, scratch, noPackage), ExitCode.environment, [
      'no "ffmpeg version" line',
      'on PATH',
    ]);
  });
});

describe('resolveFfmpeg: the packaged binary', () => {
  it('is made executable when npm skipped its chmod postinstall', async () => {
    const unchmodded = fakeFfmpeg('unchmodded', 'N-fixed', { mode: 0o644 });
    const choice = await resolveFfmpeg(undefined, { PATH: emptyBin }, scratch, () => unchmodded);
    expect(choice.found).toEqual({ path: unchmodded, source: 'packaged', version: 'N-fixed' });
    expect(statSync(unchmodded).mode & 0o100).toBe(0o100);
  });

  it('is not found from a folder where the package is not installed', () => {
    expect(packagedFfmpegPath(join(scratch, 'anywhere.js'))).toBeNull();
  });

  const installed = packagedFfmpegPath();
  it.skipIf(installed === null)(
    'the one npm install brought runs (skipped when @ffmpeg-installer has no binary for this platform)',
    async () => {
      expect(installed).toMatch(/node_modules\/@ffmpeg-installer\/[a-z0-9]+-[a-z0-9]+\/ffmpeg$/);
      expect(existsSync(installed!)).toBe(true);
      const choice = await resolveFfmpeg(undefined, { PATH: emptyBin }, scratch);
      expect(choice.error).toBeNull();
      expect(choice.found).toMatchObject({ path: installed, source: 'packaged', version: expect.stringMatching(/\S/) });
    },
  );
});
