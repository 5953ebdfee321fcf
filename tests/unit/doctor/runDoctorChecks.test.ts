import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { type DoctorCheck, type DoctorConfig, DoctorResult, doctorExitCode, formatDoctorResult } from '../../../src/doctor/DoctorCheck.js';
import { DOCTOR_CHECKS, runDoctorChecks } from '../../../src/doctor/doctor.js';
import { UNUSED_FFMPEG } from './scratch.js';

const config: DoctorConfig = {
  libraryPath: '/x.so',
  referenceEngine: false,
  models: [{ path: '/a.bin' }],
  audioPath: '/a.wav',
  ffmpeg: UNUSED_FFMPEG,
};
const fixed = (name: string, results: DoctorResult[]): DoctorCheck => ({ name, run: async () => results });

describe('runDoctorChecks', () => {
  it('runs the checks in registry order and flattens their lines', async () => {
    const seen: string[] = [];
    const spy = (name: string): DoctorCheck => ({
      name,
      async run(received) {
        seen.push(`${name}:${received.libraryPath}`);
        return [DoctorResult.ok(name, 'fine'), DoctorResult.ok(name, 'also fine')];
      },
    });
    const results = await runDoctorChecks(config, {}, [spy('a'), spy('b')]);
    expect(seen).toEqual(['a:/x.so', 'b:/x.so']);
    expect(results.map((r) => `${r.check}/${r.detail}`)).toEqual(['a/fine', 'a/also fine', 'b/fine', 'b/also fine']);
  });

  it('registers engine, ffmpeg, model, audio, memory and the optional heaptrack', () => {
    expect(DOCTOR_CHECKS.map((check) => check.name)).toEqual(['engine', 'ffmpeg', 'model', 'audio', 'memory', 'heaptrack']);
  });
});

describe('doctorExitCode', () => {
  it('is 0 when nothing failed, warnings included', async () => {
    const results = await runDoctorChecks(config, {}, [fixed('a', [DoctorResult.ok('a', 'x'), DoctorResult.warn('a', 'y', 'z')])]);
    expect(doctorExitCode(results)).toBe(ExitCode.ok);
  });

  it("is the first failure's code", () => {
    const results = [
      DoctorResult.ok('a', 'x'),
      DoctorResult.fail('b', 'no ffmpeg', 'apt-get install ffmpeg', ExitCode.environment),
      DoctorResult.fail('c', 'no model', null, ExitCode.usage),
    ];
    expect(doctorExitCode(results)).toBe(ExitCode.environment);
    expect(doctorExitCode(results.slice(2))).toBe(ExitCode.usage);
  });
});

describe('formatDoctorResult', () => {
  it('aligns status and check, and appends the fix', () => {
    expect(
      formatDoctorResult(DoctorResult.fail('ffmpeg', 'ffmpeg not found on PATH', 'apt-get install ffmpeg', ExitCode.environment)),
    ).toBe('FAIL  ffmpeg   ffmpeg not found on PATH (fix: apt-get install ffmpeg)');
    expect(formatDoctorResult(DoctorResult.ok('engine', '/x.so: loads'))).toBe('ok    engine   /x.so: loads');
  });
});
