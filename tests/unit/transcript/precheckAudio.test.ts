import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LeakgateError, ExitCode } from '../../../src/errors.js';
import { findExecutable } from '../../../src/transcript/findExecutable.js';
import { precheckAudio } from '../../../src/transcript/precheckAudio.js';
import { scratchDir } from '../../support/scratchDir.js';

const PHONE_WAV = fileURLToPath(new URL('../../../fixtures/audio/phone-zh.wav', import.meta.url));
const scratchFolder = scratchDir('leakgate-precheck-');
const scratch = scratchFolder.dir;
const binDir = scratchFolder.bin;
const scratchFile = scratchFolder.file;
afterAll(scratchFolder.cleanup);

const emptyBin = binDir('empty', {});
const ffmpegOnly = binDir('ffmpeg-only', { ffmpeg: 'exit 0' });
const probeSaysAudio = binDir('probe-audio', { ffmpeg: 'exit 0', ffprobe: 'echo audio' });
const probeRejects = binDir('probe-rejects', { ffmpeg: 'exit 0', ffprobe: 'echo "Invalid data" >&2; exit 1' });
const probeFindsVideo = binDir('probe-video', { ffmpeg: 'exit 0', ffprobe: 'exit 0' });
const realFfprobe = findExecutable('ffprobe', process.env);

async function rejection(promise: Promise<void>): Promise<LeakgateError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(LeakgateError);
  const leakgateError = error as LeakgateError;
  expect(leakgateError.message).not.toContain('\n');
  return leakgateError;
}

describe('findExecutable', () => {
  it('finds an executable file on PATH and nothing on an empty PATH', () => {
    expect(findExecutable('ffmpeg', { PATH: ffmpegOnly })).toBe(join(ffmpegOnly, 'ffmpeg'));
    expect(findExecutable('ffmpeg', { PATH: emptyBin })).toBeNull();
    expect(findExecutable('ffmpeg', {})).toBeNull();
  });

  it('takes the first match in PATH order, skipping non-executables and directories', () => {
    const notExecutable = join(scratch, 'not-executable');
    mkdirSync(join(notExecutable, 'ffmpeg'), { recursive: true }); // a directory named ffmpeg
    const plainFile = join(scratch, 'plain-file');
    mkdirSync(plainFile);
    writeFileSync(join(plainFile, 'ffmpeg'), 'not a program');
    chmodSync(join(plainFile, 'ffmpeg'), 0o644);
    const path = [emptyBin, notExecutable, plainFile, probeSaysAudio, ffmpegOnly].join(':');
    expect(findExecutable('ffmpeg', { PATH: path })).toBe(join(probeSaysAudio, 'ffmpeg'));
  });
});

describe('precheckAudio', () => {
  it('accepts the phone fixture with a fake ffprobe that sees audio and with the WAV header fallback', async () => {
    await expect(precheckAudio(PHONE_WAV, { PATH: probeSaysAudio })).resolves.toBeUndefined();
    await expect(precheckAudio(PHONE_WAV, { PATH: ffmpegOnly })).resolves.toBeUndefined();
  });

  it('rejects a missing file with a usage error naming it', async () => {
    const missing = join(scratch, 'nope.wav');
    const error = await rejection(precheckAudio(missing, { PATH: ffmpegOnly }));
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toBe(`audio file not found: ${missing} (pass --audio PATH to an existing 16 kHz WAV)`);
  });

  it('rejects a directory', async () => {
    const error = await rejection(precheckAudio(scratch, { PATH: ffmpegOnly }));
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toMatch(/^audio path is not a file: .*leakgate-precheck-/);
  });

  it('rejects an empty file', async () => {
    const empty = scratchFile('empty.wav', '');
    const error = await rejection(precheckAudio(empty, { PATH: ffmpegOnly }));
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toBe(`audio file is empty: ${empty} (0 bytes; pass --audio PATH to a non-empty 16 kHz WAV)`);
  });

  it('rejects a file that is not audio, by header without ffprobe', async () => {
    const text = scratchFile('notes.wav', 'this is not audio at all');
    const error = await rejection(precheckAudio(text, { PATH: ffmpegOnly }));
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toMatch(/^not a WAV file: .*notes\.wav \(no RIFF\/WAVE header.*ffmpeg -i IN -ar 16000/);
  });

  it('rejects a RIFF file that is not WAVE without ffprobe', async () => {
    const avi = scratchFile('movie.wav', Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00AVI ', 'latin1'), Buffer.alloc(16)]));
    const error = await rejection(precheckAudio(avi, { PATH: ffmpegOnly }));
    expect(error.message).toMatch(/^not a WAV file: /);
  });

  it('trusts ffprobe over the header when ffprobe is on PATH', async () => {
    const rejected = await rejection(precheckAudio(PHONE_WAV, { PATH: probeRejects }));
    expect(rejected.exitCode).toBe(ExitCode.usage);
    expect(rejected.message).toMatch(/^not an audio file: .*phone-zh\.wav \(ffprobe found no audio stream;/);
    const noAudioStream = await rejection(precheckAudio(PHONE_WAV, { PATH: probeFindsVideo }));
    expect(noAudioStream.message).toMatch(/^not an audio file: /);
  });

  it.skipIf(realFfprobe === null)('with the real ffprobe: accepts the fixture, rejects text', async () => {
    const env = { PATH: process.env.PATH };
    await expect(precheckAudio(PHONE_WAV, env)).resolves.toBeUndefined();
    const text = scratchFile('readme.wav', 'plain text, no audio here\n'.repeat(20));
    const error = await rejection(precheckAudio(text, env));
    expect(error.message).toMatch(/^not an audio file: /);
  });

  it('needs no ffmpeg: without one on PATH it accepts the fixture and still rejects a missing file and text', async () => {
    await expect(precheckAudio(PHONE_WAV, { PATH: emptyBin })).resolves.toBeUndefined();
    expect((await rejection(precheckAudio(join(scratch, 'absent.wav'), { PATH: emptyBin }))).message).toMatch(/^audio file not found: /);
    expect((await rejection(precheckAudio(scratchFile('prose.wav', 'words, not audio'), { PATH: emptyBin }))).message).toMatch(
      /^not a WAV file: /,
    );
  });

  it('accepts a copy of the fixture under another name (format is not judged by extension)', async () => {
    const copy = join(scratch, 'clip.bin');
    copyFileSync(PHONE_WAV, copy);
    await expect(precheckAudio(copy, { PATH: ffmpegOnly })).resolves.toBeUndefined();
  });
});
