/**
 * The CLI on a machine with nothing installed but Node: no ffmpeg on PATH, whatever CI or the
 * developer's machine has. The reference engine needs no ffmpeg; a real engine gets the one
 * `npm install` brought, and with that hidden too (LEAKGATE_PACKAGED_FFMPEG=0) it stops at once
 * with one line. An engine leakgate does not know to be the reference one before loading it (a
 * copy of the reference library) stands in for a real libchatllm: it takes the real engine's path
 * through the pre-checks.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import type { FfmpegInfo } from '../../src/ffmpeg/FfmpegChoice.js';
import { packagedFfmpegPath } from '../../src/ffmpeg/packagedFfmpegPath.js';
import { refEngineLibraryPath } from '../../src/refmodel/refEnginePath.js';
import { findExecutable } from '../../src/transcript/findExecutable.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli, startCli, waitFor } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';

// Generous: the rows run side by side, each a CLI and a worker, on a machine that may be busy.
const TIMEOUT_MS = 90_000;
const dir = refModelDir();
afterAll(dir.cleanup);
const path = (name: string): string => join(dir.dir, name);
const PACKAGED = packagedFfmpegPath();
const packagedMissing = PACKAGED === null || !existsSync(PACKAGED);

/**
 * The test's environment with PATH holding only `node` and `getconf`, and no ffmpeg setting of the
 * developer's. getconf is glibc's (libc-bin, on every glibc system): pidusage asks it the page size,
 * and prints a stack trace on stderr when it is missing.
 */
function bareEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { LEAKGATE_FFMPEG: _ffmpeg, LEAKGATE_PACKAGED_FFMPEG: _packaged, LIBCHATLLM: _lib, LEAKGATE_MODELS: _models, ...env } = process.env;
  return { ...env, PATH: path('bin'), ...extra };
}
/** Nothing anywhere: no ffmpeg on PATH, and the packaged one switched off. */
const nothingEnv = (): NodeJS.ProcessEnv => bareEnv({ LEAKGATE_PACKAGED_FFMPEG: '0' });

let model = '';
let copiedEngine = '';
beforeAll(async () => {
  model = await dir.model('bare');
  mkdirSync(path('bin'));
  symlinkSync(process.execPath, path('bin/node'));
  const getconf = findExecutable('getconf', process.env) ?? '/usr/bin/getconf';
  if (existsSync(getconf)) symlinkSync(getconf, path('bin/getconf'));
  copiedEngine = path('libchatllm.so');
  copyFileSync(refEngineLibraryPath(), copiedEngine);
});

const run = (name: string, extra: string[], env: NodeJS.ProcessEnv) =>
  // 5 iterations: the fewest a verdict is decided on (fewer is undecided, which fails the gate).
  runCli(['run', '--model', model, '--iterations', '5', '--out', path(`${name}.json`), ...extra], { timeoutMs: TIMEOUT_MS, env });
const ffmpegOf = (name: string): FfmpegInfo | null =>
  (JSON.parse(readFileSync(path(`${name}.json`), 'utf8')) as { leakgate: { ffmpeg: FfmpegInfo | null } }).leakgate.ffmpeg;
const headerLine = (stdout: string): string => stdout.split('\n').find((line) => line.startsWith('FFmpeg: ')) ?? '(no FFmpeg line)';

describe.concurrent('no ffmpeg anywhere (none on PATH, the packaged one switched off)', () => {
  it('the reference engine runs and passes: it decodes no audio', async () => {
    const result = await run('ref-nothing', [], nothingEnv());
    expectCliOutcome(result, { exitCode: ExitCode.ok, outDir: dir.dir });
    expect(headerLine(result.stdout)).toBe('FFmpeg: none usable, none needed: the reference engine decodes no audio');
    expect(ffmpegOf('ref-nothing')).toBeNull();
  });

  it('the reference engine named with --lib runs too', async () => {
    const result = await run('ref-lib-nothing', ['--lib', refEngineLibraryPath()], nothingEnv());
    expectCliOutcome(result, { exitCode: ExitCode.ok, outDir: dir.dir });
  });

  it('an engine not known to be the reference: exit 4 with one line naming the fix, before any worker', async () => {
    const result = await run('real-nothing', ['--lib', copiedEngine], nothingEnv());
    expectCliOutcome(result, {
      exitCode: ExitCode.environment,
      error: [
        'ffmpeg not found: none on PATH',
        'LEAKGATE_PACKAGED_FFMPEG=0',
        'fix: unset LEAKGATE_PACKAGED_FFMPEG, pass --ffmpeg PATH, or apt-get install ffmpeg',
      ],
      noWorker: true,
      outDir: dir.dir,
    });
    expect(existsSync(path('real-nothing.json'))).toBe(false);
  });

  it('doctor on that engine: FAIL ffmpeg, exit 4', async () => {
    const result = await runCli(['doctor', '--lib', copiedEngine, '--model', model], { timeoutMs: TIMEOUT_MS, env: nothingEnv() });
    expect(result.exitCode, result.stdout + result.stderr).toBe(ExitCode.environment);
    expect(result.stdout).toMatch(/^FAIL {2}ffmpeg {3}ffmpeg not found: none on PATH/m);
  });
});

describe.concurrent('no ffmpeg on PATH, the one npm install brought', () => {
  it.skipIf(packagedMissing)('the reference engine runs and names the packaged ffmpeg it does not use', async () => {
    const result = await run('ref-packaged', [], bareEnv());
    expectCliOutcome(result, { exitCode: ExitCode.ok, outDir: dir.dir });
    expect(headerLine(result.stdout)).toMatch(
      new RegExp(
        String.raw`^FFmpeg: .*@ffmpeg-installer\/.*\/ffmpeg \(version \S+, ` +
          String.raw`installed by npm: @ffmpeg-installer\/ffmpeg, not used by the reference engine\)$`,
      ),
    );
  });

  it.skipIf(packagedMissing)(
    "another engine runs with the packaged ffmpeg's folder first on its worker's PATH, recorded in the results",
    async () => {
      const cli = startCli(['run', '--lib', copiedEngine, '--model', model, '--iterations', '10', '--out', path('real-packaged.json')], {
        timeoutMs: TIMEOUT_MS,
        env: bareEnv(),
      });
      let workerPath: string | null = null;
      await waitFor(
        () => {
          for (const worker of cli.descendants().filter((p) => p.cmdline.includes('workerMain.ts'))) {
            try {
              const environ = readFileSync(`/proc/${worker.pid}/environ`, 'latin1').split('\0');
              workerPath = environ.find((entry) => entry.startsWith('PATH='))?.slice('PATH='.length) ?? '';
            } catch {
              // gone already, or not yet readable: try the next poll
            }
          }
          return workerPath !== null;
        },
        TIMEOUT_MS,
        "the worker's environment",
      );
      const result = await cli.done;
      expectCliOutcome(result, { exitCode: ExitCode.ok, outDir: dir.dir });
      expect(workerPath).toBe(`${dirname(PACKAGED!)}:${path('bin')}`); // first, then the CLI's own PATH
      expect(ffmpegOf('real-packaged')).toMatchObject({ path: PACKAGED, source: 'packaged', version: expect.stringMatching(/\S/) });
      expect(headerLine(result.stdout)).toBe(
        `FFmpeg: ${PACKAGED} (version ${ffmpegOf('real-packaged')!.version}, installed by npm: @ffmpeg-installer/ffmpeg)`,
      );
    },
  );

  it.skipIf(packagedMissing)('doctor reports the packaged ffmpeg ok, with its version', async () => {
    const result = await runCli(['doctor', '--lib', copiedEngine, '--model', model], { timeoutMs: TIMEOUT_MS, env: bareEnv() });
    expect(result.exitCode, result.stdout + result.stderr).toBe(ExitCode.ok);
    expect(result.stdout).toContain(`ok    ffmpeg   ${PACKAGED} (version `);
  });

  it('--ffmpeg to a file that is not there: exit 2 naming it, even with the packaged one at hand', async () => {
    const result = await run('typo', ['--ffmpeg', path('nope/ffmpeg')], bareEnv());
    expectCliOutcome(result, {
      exitCode: ExitCode.usage,
      error: [`ffmpeg not found: ${path('nope/ffmpeg')}`, 'from --ffmpeg'],
      noWorker: true,
      outDir: dir.dir,
    });
  });
});
