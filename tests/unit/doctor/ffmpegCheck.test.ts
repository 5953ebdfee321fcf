import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { ffmpegCheck } from '../../../src/doctor/checks/ffmpegCheck.js';
import type { DoctorConfig } from '../../../src/doctor/DoctorConfig.js';
import { doctorScratch } from './scratch.js';

const scratch = doctorScratch();
afterAll(scratch.cleanup);
const config: DoctorConfig = { libraryPath: '/unused.so', referenceEngine: false, models: [], audioPath: '/unused.wav' };

describe('ffmpegCheck', () => {
  it('passes and names the ffmpeg it found on PATH', async () => {
    const bin = scratch.bin('with-ffmpeg', { ffmpeg: 'exit 0' });
    const [result] = await ffmpegCheck.run(config, { PATH: bin });
    expect(result?.status).toBe('ok');
    expect(result?.detail).toBe(`ffmpeg: ${bin}/ffmpeg`);
  });

  it('fails with exit 4 and the apt-get fix when PATH holds no ffmpeg', async () => {
    const empty = scratch.bin('empty', {});
    const results = await ffmpegCheck.run(config, { PATH: empty });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ check: 'ffmpeg', status: 'FAIL', exitCode: ExitCode.environment, fix: 'apt-get install ffmpeg' });
  });
});
