import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { audioCheck } from '../../../src/doctor/checks/audioCheck.js';
import type { DoctorConfig } from '../../../src/doctor/DoctorCheck.js';
import { doctorScratch, UNUSED_FFMPEG } from './scratch.js';

const PHONE_WAV = fileURLToPath(new URL('../../../fixtures/audio/phone-zh.wav', import.meta.url));
const scratch = doctorScratch();
afterAll(scratch.cleanup);
// No ffprobe: precheckAudio falls back to the RIFF/WAVE header, no real tool needed.
const ffmpegOnly = scratch.bin('ffmpeg-only', { ffmpeg: 'exit 0' });
const withAudio = (audioPath: string): DoctorConfig => ({
  libraryPath: '/unused.so',
  referenceEngine: false,
  models: [],
  audioPath,
  ffmpeg: UNUSED_FFMPEG,
});

describe('audioCheck', () => {
  it('passes the WAV fixture', async () => {
    const [result] = await audioCheck.run(withAudio(PHONE_WAV), { PATH: ffmpegOnly });
    expect(result).toMatchObject({ check: 'audio', status: 'ok', detail: `${PHONE_WAV}: readable audio` });
  });

  it('fails a missing file with exit 2', async () => {
    const missing = join(scratch.dir, 'gone.wav');
    const [result] = await audioCheck.run(withAudio(missing), { PATH: ffmpegOnly });
    expect(result).toMatchObject({ status: 'FAIL', exitCode: ExitCode.usage });
    expect(result?.detail).toContain(`audio file not found: ${missing}`);
  });

  it('fails a text file that is not audio', async () => {
    const text = scratch.file('speech.wav', 'just text');
    const [result] = await audioCheck.run(withAudio(text), { PATH: ffmpegOnly });
    expect(result).toMatchObject({ status: 'FAIL', exitCode: ExitCode.usage });
    expect(result?.detail).toContain('not a WAV file');
  });

  it('needs no ffmpeg: passes the fixture and still fails text on a PATH without one', async () => {
    const empty = { PATH: scratch.bin('empty', {}) };
    expect((await audioCheck.run(withAudio(PHONE_WAV), empty))[0]).toMatchObject({ status: 'ok' });
    expect((await audioCheck.run(withAudio(scratch.file('words.wav', 'no audio')), empty))[0]).toMatchObject({
      status: 'FAIL',
      exitCode: ExitCode.usage,
    });
  });
});
