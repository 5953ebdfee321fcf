/**
 * Hostile input, round four (issue #25's rest), through the real CLI on the reference engine: the
 * native build folder (LEAKGATE_CACHE_DIR) where none can be made, and a baselines folder that cannot
 * hold baselines, an empty flag value — each one line and its exit code, before anything is
 * measured, never a hang.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, LeakgateError } from '../../src/errors.js';
import { run } from '../../src/pipelines/run.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli } from '../cli/runCli.js';
import { quietIO, refModelDir } from '../support/refModels.js';

const TIMEOUT_MS = 30_000;
const dir = refModelDir();
afterAll(dir.cleanup);

/** A project folder of its own, with `baselines` made by `plant`. */
function project(name: string, plant: (path: string) => void): string {
  const root = join(dir.dir, name);
  mkdirSync(root);
  plant(join(root, 'baselines'));
  return root;
}

describe.concurrent('LEAKGATE_CACHE_DIR where no build folder can be made', () => {
  const rows: [string, () => string, string][] = [
    // Node's recursive mkdir spun for ever there (ENOENT under an existing folder), ignoring SIGTERM
    ['under /proc, where mkdir answers ENOENT', () => '/proc/self', 'failed (ENOENT)'],
    [
      'a file',
      () => {
        writeFileSync(join(dir.dir, 'cache-file'), 'x');
        return join(dir.dir, 'cache-file');
      },
      'is not a folder',
    ],
  ];
  for (const [name, make, detail] of rows) {
    it(`${name}: exit 4, one line naming LEAKGATE_CACHE_DIR, no hang`, async () => {
      const cacheDir = make();
      const model = await dir.model(`cache-${name.length}`);
      const result = await runCli(['run', '--model', model, '--iterations', '2', '--out', join(dir.dir, `cache-${name.length}.json`)], {
        timeoutMs: TIMEOUT_MS,
        env: { ...process.env, LEAKGATE_CACHE_DIR: cacheDir },
      });
      expectCliOutcome(result, {
        exitCode: ExitCode.environment,
        error: [
          'cannot create the native build folder',
          detail,
          `set LEAKGATE_CACHE_DIR (now ${JSON.stringify(cacheDir)}) to a writable folder`,
        ],
        // "leakgate: first use: compiling ... into DIR"
        otherStderrLines: 1,
        noWorker: true,
      });
    });
  }
});

describe.concurrent('a baselines folder that cannot hold baselines is refused before the run measures', () => {
  const plants: [string, (path: string) => void, string][] = [
    ['a file', (path) => writeFileSync(path, 'x'), 'is a file, not a folder'],
    ['a FIFO', (path) => execFileSync('mkfifo', [path]), 'is a FIFO (named pipe), not a folder'],
    ['a link to nothing', (path) => symlinkSync(join(dir.dir, 'nowhere'), path), 'is a symbolic link to nothing'],
  ];
  for (const [name, plant, detail] of plants) {
    for (const command of [['baseline', 'update'], ['run']]) {
      it(`${command.join(' ')} with baselines/ ${name}: exit 2 naming it and the fix`, async () => {
        const root = project(`${command[0]}-${name.replace(/\W/g, '')}`, plant);
        const model = await dir.model(`${command[0]}-${name.replace(/\W/g, '')}`);
        const result = await runCli([...command, '--model', model, '--iterations', '2', '--out', join(root, 'r.json')], {
          timeoutMs: TIMEOUT_MS,
          cwd: root,
        });
        expectCliOutcome(result, {
          exitCode: ExitCode.usage,
          error: [`the baselines folder ${join(root, 'baselines')} cannot hold baselines`, detail, 'pass --baseline FILE'],
          noWorker: true,
        });
      });
    }
  }

  it('gate with baselines/ a file: exit 2 saying a part of the path is a file, not "check its permissions"', async () => {
    const model = await dir.model('gate-file');
    const out = join(dir.dir, 'gate-file.json');
    const measured = await runCli(['run', '--model', model, '--iterations', '2', '--out', out], { timeoutMs: TIMEOUT_MS });
    expect(measured.exitCode, measured.stderr).not.toBe(ExitCode.internal);
    const root = project('gate-file', (path) => writeFileSync(path, 'x'));
    const result = await runCli(['gate', out], { timeoutMs: TIMEOUT_MS, cwd: root });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['a part of its path is a file, not a folder', '--baseline FILE'] });
    expect(result.stderr).not.toContain('permissions');
  });

  it('run() with baselinesDir a FIFO: rejects naming baselinesDir before it measures', async () => {
    const fifo = join(dir.dir, 'baselines-fifo');
    execFileSync('mkfifo', [fifo]);
    const model = await dir.model('api-fifo');
    const out = join(dir.dir, 'api-fifo.json');
    const error = await run({ models: [model], iterations: 2, out, baselinesDir: fifo }, quietIO(dir.dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeakgateError);
    expect((error as LeakgateError).exitCode).toBe(ExitCode.usage);
    expect((error as Error).message).toContain('set baselinesDir to a folder');
    expect(existsSync(out)).toBe(false);
  });
});

describe.concurrent('an empty flag', () => {
  it('run --lib "" (an unset $LIB): exit 2 before measuring, not the reference engine measured and passed', async () => {
    const result = await runCli(['run', '--lib', '', '--iterations', '2', '--out', join(dir.dir, 'empty-lib.json')], {
      timeoutMs: TIMEOUT_MS,
    });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['--lib is empty'], noWorker: true });
  });
});
