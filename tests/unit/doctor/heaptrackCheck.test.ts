import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { heaptrackCheck } from '../../../src/doctor/checks/heaptrackCheck.js';
import type { DoctorConfig } from '../../../src/doctor/DoctorCheck.js';
import { doctorScratch, UNUSED_FFMPEG } from './scratch.js';

const scratch = doctorScratch();
afterAll(scratch.cleanup);
const config: DoctorConfig = {
  libraryPath: '/unused.so',
  referenceEngine: false,
  models: [],
  audioPath: '/unused.wav',
  ffmpeg: UNUSED_FFMPEG,
};

describe('heaptrackCheck (optional)', () => {
  it('names the preload library it found, with its interpreter beside it', async () => {
    const dir = join(scratch.bin('heaptrack', {}), 'lib');
    mkdirSync(join(dir, 'libexec'), { recursive: true });
    writeFileSync(join(dir, 'libheaptrack_preload.so'), '');
    writeFileSync(join(dir, 'libexec', 'heaptrack_interpret'), '#!/bin/sh\n');
    chmodSync(join(dir, 'libexec', 'heaptrack_interpret'), 0o755);
    const [result] = await heaptrackCheck.run(config, { LEAKGATE_HEAPTRACK_PRELOAD: join(dir, 'libheaptrack_preload.so') });
    expect(result).toMatchObject({
      check: 'heaptrack',
      status: 'ok',
      detail: `heaptrack: ${dir}/libheaptrack_preload.so (for leakgate attribute)`,
    });
  });

  it('is not a warning or a failure when missing, and says how to get it', async () => {
    const [result] = await heaptrackCheck.run(config, { LEAKGATE_HEAPTRACK_PRELOAD: '/nonexistent/libheaptrack_preload.so' });
    expect(result?.status).toBe('ok');
    expect(result?.detail).toMatch(/^heaptrack: not installed \(optional: .*apt-get install heaptrack\)$/);
  });
});
