import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { engineLibraryCheck } from '../../../src/doctor/checks/engineLibraryCheck.js';
import type { DoctorConfig } from '../../../src/doctor/DoctorCheck.js';
import { ensureRefEngineBuilt } from '../../../src/refmodel/refEnginePath.js';
import { doctorScratch, UNUSED_FFMPEG } from '../../unit/doctor/scratch.js';

const scratch = doctorScratch();
afterAll(scratch.cleanup);
const withLibrary = (libraryPath: string): DoctorConfig => ({
  libraryPath,
  referenceEngine: false,
  models: [],
  audioPath: '/unused.wav',
  ffmpeg: UNUSED_FFMPEG,
});

/** libc as this process mapped it: a real shared library that exports none of chatllm's API. */
function libcPath(): string {
  const line = readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .find((l) => /\/libc[.-][^/]*\.so/.test(l) || /\/libc\.so\.6$/.test(l));
  return line!.slice(line!.indexOf('/'));
}

describe('engineLibraryCheck (loads the library in a worker process)', () => {
  it('passes the reference engine and says it is the test oracle', async () => {
    const library = await ensureRefEngineBuilt();
    const [result] = await engineLibraryCheck.run(withLibrary(library), process.env);
    expect(result).toMatchObject({ check: 'engine', status: 'ok' });
    expect(result?.detail).toContain('leakgate reference engine');
  });

  it('passes any library exporting the API, and names the commit and flavour native:build recorded beside it', async () => {
    // A stub with chatllm.cpp's eight entry points: loading is all the check does with them.
    const source = scratch.file(
      'stub.c',
      [
        'void *chatllm_create(void) { return 0; }',
        'void chatllm_append_param(void *o, const char *s) {}',
        'int chatllm_start(void *o, void *p, void *e, void *u) { return 0; }',
        'void chatllm_set_gen_max_tokens(void *o, int n) {}',
        'int chatllm_user_input(void *o, const char *s) { return 0; }',
        'void chatllm_restart(void *o, const char *s) {}',
        'void chatllm_abort_generation(void *o) {}',
        'int chatllm_destroy(void *o) { return 0; }',
        '',
      ].join('\n'),
    );
    const stubDir = join(scratch.dir, 'stub-build');
    mkdirSync(stubDir);
    const library = join(stubDir, 'libchatllm.so');
    execFileSync('cc', ['-shared', '-fPIC', '-o', library, source]);
    const [plain] = await engineLibraryCheck.run(withLibrary(library), process.env);
    expect(plain).toMatchObject({ status: 'ok', detail: `${library}: loads and exports the chatllm C API leakgate calls` });

    writeFileSync(join(stubDir, 'BUILD_INFO.json'), JSON.stringify({ commit: '4a4310e165cad9232a347dd299593b8ebaae1ac1', portable: true }));
    const [described] = await engineLibraryCheck.run(withLibrary(library), process.env);
    expect(described?.status).toBe('ok');
    expect(described?.detail).toMatch(/; built from chatllm\.cpp 4a4310e165ca, portable$/);
  });

  it("fails a text file with the worker's libraryError and exit 4", async () => {
    const text = scratch.file('libfake.so', 'this is not an ELF file\n');
    const [result] = await engineLibraryCheck.run(withLibrary(text), process.env);
    expect(result).toMatchObject({ status: 'FAIL', exitCode: ExitCode.environment });
    expect(result?.detail).toContain(`cannot load ${text} as a shared library`);
    expect(result?.fix).toContain('npm run native:build');
  });

  it('fails a shared library that lacks the chatllm API, naming the first missing symbol', async () => {
    const libc = libcPath();
    const [result] = await engineLibraryCheck.run(withLibrary(libc), process.env);
    expect(result).toMatchObject({ status: 'FAIL', exitCode: ExitCode.environment });
    expect(result?.detail).toBe(`${libc} does not export chatllm_create: it is not a libchatllm build`);
  });

  it('fails a missing library with exit 2 without starting a worker', async () => {
    const missing = join(scratch.dir, 'libchatllm.so');
    const [result] = await engineLibraryCheck.run(withLibrary(missing), process.env);
    expect(result).toMatchObject({ status: 'FAIL', exitCode: ExitCode.usage, detail: `engine library not found: ${missing}` });
  });
});
