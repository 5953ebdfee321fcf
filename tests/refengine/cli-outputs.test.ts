/**
 * Nothing given is overwritten and no file-system problem passes for a leakgate bug: `--out`,
 * `--report`, `twin` and `make-ref-model` refuse a path that is one of the run's inputs, a device, a
 * FIFO or a folder (exit 2, one line, the path unchanged); FIFOs given as inputs are refused before
 * they are opened; file-system errors are exit 2 or 4 with the path, never 5.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { refEngineLibraryPath } from '../../src/refmodel/refEnginePath.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli, startCli, waitFor } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';
import { MIB } from '../../src/units.js';

const TIMEOUT_MS = 45_000;
const dir = refModelDir();
afterAll(dir.cleanup);
const path = (name: string): string => join(dir.dir, name);
const AUDIO = join(import.meta.dirname, '../../fixtures/audio/phone-zh.wav');

let model: string;
let audio: string;
let lib: string;
const fingerprint = (file: string): string => {
  const stats = statSync(file);
  return `${stats.mode}:${stats.ino}:${stats.isFile() ? createHash('sha256').update(readFileSync(file)).digest('hex') : stats.rdev}`;
};

beforeAll(async () => {
  model = await dir.model('good');
  // Copies, so a test that failed to refuse could only destroy its own inputs.
  audio = path('audio.wav');
  copyFileSync(AUDIO, audio);
  copyFileSync(AUDIO.replace(/\.wav$/, '.txt'), path('audio.txt'));
  lib = path('libchatllm-ref.so');
  copyFileSync(refEngineLibraryPath(), lib);
  execFileSync('mkfifo', [path('fifo')]);
  mkdirSync(path('folder'));
  writeFileSync(path('existing.bin'), 'keep me\n');
});

const run = (extra: string[], env?: NodeJS.ProcessEnv) =>
  runCli(['run', '--iterations', '5', '--lib', lib, '--model', model, '--audio', audio, ...extra], { timeoutMs: TIMEOUT_MS, env });

describe.concurrent('leakgate run --out never destroys what it is given', () => {
  const rows: [string, () => string, (string | RegExp)[]][] = [
    ['the audio', () => audio, ['is the audio file', '--out']],
    ['the library', () => lib, ['is the engine library', '--out']],
    ['the model', () => model, ['is the model file', '--out']],
    ['the truth file beside the audio', () => path('audio.txt'), ['is the truth file']],
    ['a FIFO', () => path('fifo'), ['is a FIFO (named pipe)', 'only a regular file is replaced']],
    ['/dev/null', () => '/dev/null', ['cannot write the results file /dev/null: it is a character device']],
  ];
  for (const [what, target, error] of rows) {
    it(`--out ${what}: exit 2, unchanged`, async () => {
      const before = fingerprint(target());
      const extra = what.startsWith('the truth') ? ['--truth', path('audio.txt')] : [];
      const result = await run(['--out', target(), ...extra]);
      expectCliOutcome(result, { exitCode: ExitCode.usage, error, noWorker: true });
      expect(fingerprint(target())).toBe(before);
    });
  }
});

describe.concurrent('leakgate run: inputs that are not regular files are refused before they are opened', () => {
  const rows: [string, () => string[], (string | RegExp)[]][] = [
    ['--model FIFO', () => ['--model', path('fifo')], [`model file ${path('fifo')} is a FIFO`]],
    ['--lib FIFO', () => ['--lib', path('fifo')], [`engine library ${path('fifo')} is a FIFO`, '--lib']],
    ['--lib folder', () => ['--lib', path('folder')], [`engine library ${path('folder')} is a folder`, '--lib']],
    ['--audio FIFO', () => ['--audio', path('fifo')], [`audio file ${path('fifo')} is a FIFO`, '--audio']],
    ['--baseline FIFO', () => ['--baseline', path('fifo')], [`baseline ${path('fifo')} is a FIFO`]],
    ['--baseline missing', () => ['--baseline', path('typo.json')], [`baseline not found: ${path('typo.json')}`]],
    [
      '--report onto a file',
      () => ['--report', path('existing.bin')],
      [`cannot write the report into ${path('existing.bin')}: it is a file`, '--report'],
    ],
    ['--report onto a FIFO', () => ['--report', path('fifo')], ['is a FIFO (named pipe), not a folder', '--report']],
    ['--report under /proc', () => ['--report', '/proc/nope/report'], ['cannot write the report into /proc/nope/report', '--report']],
  ];
  for (const [what, extra, error] of rows) {
    it(`${what}: exit 2 before any worker starts`, async () => {
      const result = await run([...extra(), '--out', path(`${what.replace(/\W+/g, '-')}.json`)]);
      expectCliOutcome(result, { exitCode: ExitCode.usage, error, noWorker: true, outDir: dir.dir });
    });
  }

  it('baseline update into a folder that cannot be written, or onto a FIFO: exit 2 before the run, not after it', async () => {
    for (const [target, error] of [
      ['/proc/nope/baseline.json', 'creating a file in /proc failed'],
      [path('fifo'), 'is a FIFO'],
    ]) {
      const result = await runCli(
        [
          'baseline',
          'update',
          '--iterations',
          '2',
          '--lib',
          lib,
          '--model',
          model,
          '--audio',
          audio,
          '--out',
          path('bu.json'),
          '--baseline',
          target!,
        ],
        { timeoutMs: TIMEOUT_MS },
      );
      expectCliOutcome(result, { exitCode: ExitCode.usage, error: [`cannot write the baseline ${target}`, error!], noWorker: true });
    }
  });

  it('LEAKGATE_MODELS=, names no model: exit 2, no fallback to the generated models', async () => {
    const result = await runCli(['run', '--iterations', '2', '--out', path('env.json')], {
      timeoutMs: TIMEOUT_MS,
      env: { ...process.env, LEAKGATE_MODELS: ',' },
    });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['LEAKGATE_MODELS=, names no model file'], noWorker: true });
  });
});

describe.concurrent('make-ref-model and twin replace only a regular file, and only with --force', () => {
  it('make-ref-model onto an existing file without --force: exit 2, unchanged; with --force: replaced', async () => {
    const target = path('existing-model.bin');
    writeFileSync(target, 'not yet a model\n');
    const refused = await runCli(['make-ref-model', target, '--size', '1MiB'], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(refused, { exitCode: ExitCode.usage, error: [`output exists: ${target}`, '--force'] });
    expect(readFileSync(target, 'utf8')).toBe('not yet a model\n');
    const forced = await runCli(['make-ref-model', target, '--size', '1MiB', '--force'], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(forced, { exitCode: ExitCode.ok });
    expect(statSync(target).size).toBe(MIB);
  });

  const devices: [string, () => string, string][] = [
    ['a FIFO', () => path('fifo'), 'is a FIFO'],
    ['/dev/null', () => '/dev/null', 'is a character device'],
    ['a folder', () => path('folder'), 'is a folder'],
  ];
  for (const [what, target, error] of devices) {
    it(`make-ref-model --force and twin --force onto ${what}: exit 2, unchanged`, async () => {
      const before = fingerprint(target());
      const ref = await runCli(['make-ref-model', target(), '--size', '1MiB', '--force'], { timeoutMs: TIMEOUT_MS });
      expectCliOutcome(ref, { exitCode: ExitCode.usage, error: [target(), error, 'only a regular file is replaced'] });
      const twin = await runCli(['twin', '--shape', 'tiny', '--force', target()], { timeoutMs: TIMEOUT_MS });
      expectCliOutcome(twin, { exitCode: ExitCode.usage, error: [target(), error, 'only a regular file is replaced'] });
      expect(fingerprint(target())).toBe(before);
    });
  }

  it('make-ref-model larger than the free space: exit 4 before writing a byte', async () => {
    const target = path('huge.bin');
    const result = await runCli(['make-ref-model', target, '--size', '1048576GiB' /* 1 PiB */], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(result, { exitCode: ExitCode.environment, error: [`not enough disk space for reference model ${target}`, '--size'] });
    expect(statSync(target, { throwIfNoEntry: false })).toBeUndefined();
  });

  it('make-ref-model stopped by SIGTERM mid-write: exit 143, no temp file left behind', async () => {
    const target = path('stopped.bin');
    const cli = startCli(['make-ref-model', target, '--size', '4GiB'], { timeoutMs: TIMEOUT_MS });
    const temps = (): string[] => readdirSync(dir.dir).filter((name) => name.startsWith('.stopped.bin.') && name.endsWith('.tmp'));
    await waitFor(() => temps().length > 0, 20_000, 'the temp file to appear');
    cli.child.kill('SIGTERM');
    const result = await cli.done;
    expect(result.exitCode).toBe(ExitCode.terminated);
    expect(temps()).toEqual([]);
    expect(statSync(target, { throwIfNoEntry: false })).toBeUndefined();
  });

  it('report -o a folder that cannot be made (under /proc, where mkdir -p spun for ever) or onto a file: exit 2 at once', async () => {
    const results = path('for-report.json');
    const made = await run(['--out', results]);
    expect(made.exitCode, made.stderr).toBe(ExitCode.ok);
    for (const [target, error] of [
      ['/proc/nope/report', 'creating a file in /proc failed'],
      [path('existing.bin'), 'it is a file, not a folder'],
    ]) {
      const result = await runCli(['report', results, '-o', target!], { timeoutMs: TIMEOUT_MS });
      expectCliOutcome(result, { exitCode: ExitCode.usage, error: [`cannot write the report into ${target}`, error!, '-o DIR'] });
    }
  });

  it('twin into a folder that cannot be created: exit 2 with the path, not 5', async () => {
    const result = await runCli(['twin', '--shape', 'tiny', '/proc/nope/twin.bin'], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['/proc/nope'] });
  });
});
