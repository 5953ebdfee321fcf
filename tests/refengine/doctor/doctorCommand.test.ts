import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIO } from '../../support/captureIO.js';
import { doctorCommand } from '../../../src/cli/commands/doctor.js';
import { ExitCode } from '../../../src/errors.js';
import type { DoctorResult } from '../../../src/doctor/DoctorCheck.js';
import { ensureRefEngineBuilt } from '../../../src/refmodel/refEnginePath.js';
import { writeRefModel } from '../../../src/refmodel/writeRefModel.js';
import { doctorScratch } from '../../unit/doctor/scratch.js';
import { MIB } from '../../../src/units.js';

const PHONE_WAV = fileURLToPath(new URL('../../../fixtures/audio/phone-zh.wav', import.meta.url));
const scratch = doctorScratch();
afterAll(scratch.cleanup);
let library = '';
let model = '';
let ffmpegBin = '';
beforeAll(async () => {
  library = await ensureRefEngineBuilt();
  model = join(scratch.dir, 'small.bin');
  await writeRefModel(model, { sizeBytes: MIB });
  ffmpegBin = scratch.bin('bin', { ffmpeg: 'echo "ffmpeg version 9.9-fake"' });
});

async function doctor(argv: string[], env: NodeJS.ProcessEnv = { PATH: ffmpegBin }): Promise<{ code: number; out: string }> {
  const io = captureIO(scratch.dir, env);
  const code = await doctorCommand.run(argv, io);
  return { code, out: io.stdout + io.stderr };
}

describe('leakgate doctor', () => {
  it('passes a configuration that run would accept, one line per check', async () => {
    const { code, out } = await doctor(['--lib', library, '--model', model, '--audio', PHONE_WAV]);
    expect(code).toBe(ExitCode.ok);
    const lines = out.trim().split('\n');
    expect(lines.map((line) => line.slice(0, 14).trim())).toEqual([
      'ok    engine',
      'ok    ffmpeg',
      'ok    model',
      'ok    audio',
      'ok    memory',
      'ok    heaptrac', // the first 14 characters of "ok    heaptrack"
      'doctor: ready',
    ]);
  });

  it('passes the reference engine with no ffmpeg anywhere: it decodes no audio', async () => {
    const { code, out } = await doctor(['--lib', library, '--model', model, '--audio', PHONE_WAV], {
      PATH: scratch.bin('nothing', {}),
      LEAKGATE_PACKAGED_FFMPEG: '0',
    });
    expect(out).toMatch(/^ok {4}ffmpeg {3}none usable, none needed: the reference engine decodes no audio$/m);
    expect(code).toBe(ExitCode.ok);
  });

  it("reports every problem instead of stopping at the first, and exits with the first FAIL's code", async () => {
    // A copy of the reference engine is not known to be one before it loads: it needs ffmpeg like a real engine.
    const copy = scratch.file('libcopy.so', readFileSync(library));
    const { code, out } = await doctor(['--lib', copy, '--model', model, '--model', 'missing.bin', '--audio', PHONE_WAV], {
      PATH: scratch.bin('none', {}),
      LEAKGATE_PACKAGED_FFMPEG: '0',
    });
    expect(out).toMatch(/^FAIL {2}ffmpeg {3}ffmpeg not found: none on PATH/m);
    expect(out).toMatch(/^FAIL {2}model {4}model file not found: .*missing\.bin/m);
    expect(out).not.toMatch(/^FAIL {2}config/m);
    expect(out).toContain('doctor: 2 checks failed');
    expect(code).toBe(ExitCode.environment);
  });

  it('reads models from LEAKGATE_MODELS and the library from LIBCHATLLM, like run', async () => {
    const { code, out } = await doctor(['--json', '--audio', PHONE_WAV], { PATH: ffmpegBin, LIBCHATLLM: library, LEAKGATE_MODELS: model });
    const results = JSON.parse(out) as DoctorResult[];
    expect(code).toBe(ExitCode.ok);
    expect(results.find((r) => r.check === 'engine')?.detail).toContain(library);
    expect(results.find((r) => r.check === 'model')?.detail).toContain(model);
  });

  it('shows the configuration error when no check explains it', async () => {
    const { code, out } = await doctor(['--lib', library, '--model', model, '--audio', PHONE_WAV], { PATH: ffmpegBin, ITERATIONS: 'many' });
    expect(out).toMatch(/^FAIL {2}config {3}ITERATIONS \(environment\) is "many", not a number/m);
    expect(code).toBe(ExitCode.usage);
  });
});
