import { describe, expect, it } from 'vitest';
import { environmentError, ExitCode, usageError } from '../../../src/errors.js';
import { ffmpegCheck } from '../../../src/doctor/checks/ffmpegCheck.js';
import type { DoctorConfig } from '../../../src/doctor/DoctorCheck.js';
import type { FfmpegChoice } from '../../../src/ffmpeg/FfmpegChoice.js';

const config = (ffmpeg: FfmpegChoice, referenceEngine: boolean): DoctorConfig => ({
  libraryPath: '/unused.so',
  referenceEngine,
  models: [],
  audioPath: '/unused.wav',
  ffmpeg,
});
const packaged: FfmpegChoice = {
  found: { path: '/nm/@ffmpeg-installer/linux-x64/ffmpeg', source: 'packaged', version: 'N-1-static' },
  error: null,
};
const none: FfmpegChoice = { found: null, error: environmentError('ffmpeg not found: none on PATH (fix: npm install)') };
const typo: FfmpegChoice = { found: null, error: usageError('ffmpeg not found: /opt/ffmpge (from --ffmpeg; pass --ffmpeg PATH)') };

describe('ffmpegCheck', () => {
  it('passes and names the ffmpeg, its version and where it came from', async () => {
    const [result] = await ffmpegCheck.run(config(packaged, false), {});
    expect(result).toMatchObject({ check: 'ffmpeg', status: 'ok' });
    expect(result?.detail).toBe('/nm/@ffmpeg-installer/linux-x64/ffmpeg (version N-1-static, installed by npm: @ffmpeg-installer/ffmpeg)');
  });

  it("fails a real engine without ffmpeg with exit 4 and the resolver's one line", async () => {
    const results = await ffmpegCheck.run(config(none, false), {});
    expect(results).toEqual([
      {
        check: 'ffmpeg',
        status: 'FAIL',
        detail: 'ffmpeg not found: none on PATH (fix: npm install)',
        fix: null,
        exitCode: ExitCode.environment,
      },
    ]);
  });

  it('passes the reference engine without ffmpeg: it decodes no audio', async () => {
    const [result] = await ffmpegCheck.run(config(none, true), {});
    expect(result).toMatchObject({ status: 'ok', detail: 'none usable, none needed: the reference engine decodes no audio' });
  });

  it('fails a wrong --ffmpeg (exit 2) whatever the engine: the user asked for that one', async () => {
    for (const referenceEngine of [false, true]) {
      const [result] = await ffmpegCheck.run(config(typo, referenceEngine), {});
      expect(result).toMatchObject({ status: 'FAIL', exitCode: ExitCode.usage });
    }
  });
});
