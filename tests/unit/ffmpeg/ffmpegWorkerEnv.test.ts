import { describe, expect, it } from 'vitest';
import { environmentError, usageError } from '../../../src/errors.js';
import { describeFfmpeg } from '../../../src/ffmpeg/describeFfmpeg.js';
import type { FfmpegChoice } from '../../../src/ffmpeg/FfmpegChoice.js';
import { ffmpegWorkerEnv } from '../../../src/ffmpeg/ffmpegWorkerEnv.js';

const packaged: FfmpegChoice = {
  found: { path: '/app/node_modules/@ffmpeg-installer/linux-x64/ffmpeg', source: 'packaged', version: 'N-47683-g0e8eb07980-static' },
  error: null,
};
const missing: FfmpegChoice = { found: null, error: environmentError('ffmpeg not found: none on PATH (fix: npm install)') };

describe('ffmpegWorkerEnv', () => {
  it("puts the chosen ffmpeg's folder first on the worker's PATH", () => {
    expect(ffmpegWorkerEnv(packaged, { PATH: '/usr/bin:/bin' })).toEqual({
      PATH: '/app/node_modules/@ffmpeg-installer/linux-x64:/usr/bin:/bin',
    });
    expect(ffmpegWorkerEnv(packaged, {})).toEqual({ PATH: '/app/node_modules/@ffmpeg-installer/linux-x64' });
  });

  it('changes nothing without an ffmpeg', () => {
    expect(ffmpegWorkerEnv(missing, { PATH: '/usr/bin' })).toEqual({});
  });
});

describe('describeFfmpeg', () => {
  it('names the path, the version and where it came from', () => {
    expect(describeFfmpeg(packaged, false)).toBe(
      '/app/node_modules/@ffmpeg-installer/linux-x64/ffmpeg (version N-47683-g0e8eb07980-static, installed by npm: ' +
        '@ffmpeg-installer/ffmpeg)',
    );
    expect(describeFfmpeg({ found: { path: '/usr/bin/ffmpeg', source: 'PATH', version: '5.1.6' }, error: null }, true)).toBe(
      '/usr/bin/ffmpeg (version 5.1.6, on PATH, not used by the reference engine)',
    );
  });

  it('gives a real engine the error, and the reference engine a line that none is needed', () => {
    expect(describeFfmpeg(missing, false)).toBe('ffmpeg not found: none on PATH (fix: npm install)');
    expect(describeFfmpeg(missing, true)).toBe('none usable, none needed: the reference engine decodes no audio');
    expect(describeFfmpeg({ found: null, error: usageError('x') }, false)).toBe('x');
  });
});
