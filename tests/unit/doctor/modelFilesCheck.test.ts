import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { modelFilesCheck } from '../../../src/doctor/checks/modelFilesCheck.js';
import type { DoctorConfig } from '../../../src/doctor/DoctorCheck.js';
import { writeRefModel } from '../../../src/refmodel/writeRefModel.js';
import { writeTwin } from '../../../src/twin/writeTwin.js';
import { doctorScratch, UNUSED_FFMPEG } from './scratch.js';
import { MIB } from '../../../src/units.js';

const scratch = doctorScratch();
afterAll(scratch.cleanup);
const twinPath = join(scratch.dir, 'twin.bin');
const refPath = join(scratch.dir, 'ref.bin');
beforeAll(async () => {
  await writeTwin(twinPath, { shape: 'tiny', type: 'q4_0', seed: 1 });
  await writeRefModel(refPath, { sizeBytes: MIB });
});

const withModels = (...paths: string[]): DoctorConfig => ({
  libraryPath: '/unused.so',
  referenceEngine: false,
  models: paths.map((path) => ({ path })),
  audioPath: '/unused.wav',
  ffmpeg: UNUSED_FFMPEG,
});

describe('modelFilesCheck', () => {
  it('describes a GGMM twin by its header', async () => {
    const [result] = await modelFilesCheck.run(withModels(twinPath), {});
    expect(result?.status).toBe('ok');
    expect(result?.detail).toMatch(/twin\.bin: Qwen3-ASR twin, tiny shape, q4_0/);
  });

  it('describes a reference model by its planted behaviour', async () => {
    const [result] = await modelFilesCheck.run(withModels(refPath), {});
    expect(result?.status).toBe('ok');
    expect(result?.detail).toContain('leakgate reference model, 1MiB file');
  });

  it('accepts the legacy "ggml" magic', async () => {
    const legacy = scratch.file('legacy.bin', Buffer.concat([Buffer.from('ggml'), Buffer.alloc(60)]));
    const [result] = await modelFilesCheck.run(withModels(legacy), {});
    expect(result?.status).toBe('ok');
    expect(result?.detail).toContain('legacy format');
  });

  it('fails a missing model with exit 2, one line per model, in order', async () => {
    const missing = join(scratch.dir, 'nope.bin');
    const results = await modelFilesCheck.run(withModels(twinPath, missing), {});
    expect(results.map((r) => r.status)).toEqual(['ok', 'FAIL']);
    expect(results[1]).toMatchObject({
      exitCode: ExitCode.usage,
      detail: expect.stringMatching(`^model file not found: ${missing} \\(pass --model PATH`),
    });
  });

  it('fails a file with the wrong magic and says what it starts with', async () => {
    const text = scratch.file('notes.bin', 'hello, not a model');
    const [result] = await modelFilesCheck.run(withModels(text), {});
    expect(result).toMatchObject({ status: 'FAIL', exitCode: ExitCode.usage });
    expect(result?.detail).toContain('starts with "hello, n", expected chatllm.cpp\'s "ggmm"');
    expect(result?.detail).toContain('convert.py');
  });

  it('fails a directory given as a model', async () => {
    const directory = join(scratch.dir, 'a-dir.bin');
    mkdirSync(directory);
    const [result] = await modelFilesCheck.run(withModels(directory), {});
    expect(result).toMatchObject({ status: 'FAIL', detail: expect.stringContaining(`model path is not a file: ${directory} (`) });
  });

  it("fails a truncated GGMM file with the reader's message", async () => {
    const truncated = scratch.file('cut.bin', Buffer.from('ggmm\x01\x00\x00\x00'));
    const [result] = await modelFilesCheck.run(withModels(truncated), {});
    expect(result).toMatchObject({ status: 'FAIL', exitCode: ExitCode.usage });
    expect(result?.detail).toContain('cut.bin');
  });

  it('fails when no model is configured', async () => {
    const results = await modelFilesCheck.run(withModels(), {});
    expect(results).toEqual([expect.objectContaining({ status: 'FAIL', detail: 'no models to run' })]);
  });
});
