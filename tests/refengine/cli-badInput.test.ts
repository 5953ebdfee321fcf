/**
 * `leakgate run` with every kind of bad input, through the real CLI: each gets the documented exit
 * code and one line on stderr naming the thing and the fix, before anything is measured.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { engineLibraryCandidates } from '../../src/config/engineLibraryCandidates.js';
import { refEngineLibraryPath } from '../../src/refmodel/refEnginePath.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';

const TIMEOUT_MS = 45_000;
const dir = refModelDir();
afterAll(dir.cleanup);

const path = (name: string): string => join(dir.dir, name);
let model: string;
const out = (): string => path('results.json');
/** `leakgate run` on a good reference model, with `extra` flags appended (the last --model/--out win or add). */
const run = (extra: string[], env?: NodeJS.ProcessEnv) => runCli(['run', '--iterations', '2', ...extra], { timeoutMs: TIMEOUT_MS, env });

beforeAll(async () => {
  model = await dir.model('good');
  writeFileSync(path('text.txt'), 'hello, not a library or a model\n');
  writeFileSync(path('empty.bin'), '');
  mkdirSync(path('folder.bin'));
  writeFileSync(path('short.bin'), Buffer.from('ggmm\x01\x00\x00\x00', 'latin1'));
  writeFileSync(path('legacy.bin'), Buffer.concat([Buffer.from('ggml', 'latin1'), Buffer.alloc(1024, 1)]));
  const reference = readFileSync(await dir.model('whole'));
  writeFileSync(path('cut-ref.bin'), reference.subarray(0, reference.length / 2));
  // A real GGMM model (a tiny twin) and the same file cut short.
  const twin = await runCli(['twin', '--shape', 'tiny', path('twin.bin')], { timeoutMs: TIMEOUT_MS });
  expect(twin.exitCode, twin.stderr).toBe(0);
  const twinBytes = readFileSync(path('twin.bin'));
  writeFileSync(path('cut-twin.bin'), twinBytes.subarray(0, Math.floor(twinBytes.length / 2)));
});

describe.concurrent('leakgate run: the engine library', () => {
  it('--lib to a missing file: exit 2 naming it', async () => {
    const result = await run(['--lib', '/nope.so', '--model', model, '--out', out()]);
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['engine library not found: /nope.so', '--lib'], noWorker: true });
  });

  it('--lib to a text file: exit 4, not loadable', async () => {
    const result = await run(['--lib', path('text.txt'), '--model', model, '--out', path('lib-text.json')]);
    expectCliOutcome(result, { exitCode: ExitCode.environment, error: [`cannot load ${path('text.txt')} as a shared library`, '--lib'] });
  });

  it('--lib to a shared library without the chatllm ABI: exit 4 naming the missing symbol', async () => {
    const libz = [
      '/lib/x86_64-linux-gnu/libz.so.1',
      '/usr/lib/x86_64-linux-gnu/libz.so.1',
      '/lib/aarch64-linux-gnu/libz.so.1',
      '/lib64/libz.so.1',
    ].find(existsSync);
    const result = await run(['--lib', libz ?? '/lib/x86_64-linux-gnu/libm.so.6', '--model', model, '--out', path('lib-z.json')]);
    expectCliOutcome(result, { exitCode: ExitCode.environment, error: ['does not export chatllm_create', 'not a libchatllm build'] });
  });
});

describe.concurrent('leakgate run: model files are checked before anything is loaded', () => {
  const rows: [string, string, (string | RegExp)[]][] = [
    ['missing', 'nope.bin', ['model file not found:', 'nope.bin', '--model']],
    ['a folder', 'folder.bin', ['model path is not a file:', 'folder.bin']],
    ['empty (0 bytes)', 'empty.bin', ['model file is empty:', 'empty.bin', 'convert.py']],
    ['not a model (text)', 'text.txt', ['not a model file:', 'text.txt', '"ggmm"', 'LGREFMDL']],
    ['a GGMM header cut short', 'short.bin', ['model file truncated:', 'short.bin']],
    ['a GGMM model cut in half', 'cut-twin.bin', ['truncated or corrupt', 'cut-twin.bin']],
    ['a reference model cut in half', 'cut-ref.bin', ['reference model truncated', 'cut-ref.bin', 'make-ref-model']],
  ];
  for (const [what, file, error] of rows) {
    it(`model ${what}: exit 2 naming the file`, async () => {
      const result = await run(['--model', path(file), '--out', out()]);
      expectCliOutcome(result, { exitCode: ExitCode.usage, error, noWorker: true });
    });
  }

  it('a chatllm.cpp model on the reference engine: exit 2 with the fix', async () => {
    for (const file of ['twin.bin', 'legacy.bin']) {
      const result = await run(['--lib', refEngineLibraryPath(), '--model', model, '--model', path(file), '--out', out()]);
      expectCliOutcome(result, { exitCode: ExitCode.usage, error: [path(file), "leakgate's reference engine", '--lib'], noWorker: true });
    }
  });

  const realEngine = engineLibraryCandidates().find(existsSync);
  it.skipIf(!realEngine)('a reference model on a real libchatllm: exit 2 with the fix, before any load', async () => {
    const result = await run(['--lib', realEngine!, '--model', model, '--out', path('real-ref.json')]);
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: [model, 'reference model', 'drop --lib'] });
  });
});

// ffmpeg (none, the packaged one, a wrong --ffmpeg): cli-bareMachine.test.ts.
describe.concurrent('leakgate run: the audio file', () => {
  const rows: [string, string, (string | RegExp)[]][] = [
    ['missing', 'nope.wav', ['audio file not found:', 'nope.wav', '--audio']],
    ['not audio (text)', 'text.txt', [/not (an audio|a WAV) file:/, 'text.txt', 'ffmpeg -i']],
    ['empty', 'empty.bin', ['audio file is empty:', 'empty.bin']],
  ];
  for (const [what, file, error] of rows) {
    it(`audio ${what}: exit 2 naming the file`, async () => {
      const result = await run(['--model', model, '--audio', path(file), '--out', out()]);
      expectCliOutcome(result, { exitCode: ExitCode.usage, error, noWorker: true });
    });
  }
});

describe.concurrent('leakgate run: the results path is checked before anything is measured', () => {
  const rows: [string, () => string, (string | RegExp)[]][] = [
    ['whose parent is a file', () => join(model, 'results.json'), ['cannot write the results file', 'is a file, not a folder', '--out']],
    ['under /proc', () => '/proc/nope/results.json', ['cannot write the results file /proc/nope/results.json', '--out']],
    ['that is a folder', () => dir.dir, ['cannot write the results file', 'it is a folder', '--out']],
  ];
  for (const [what, target, error] of rows) {
    it(`--out ${what}: exit 2`, async () => {
      const result = await run(['--model', model, '--out', target()]);
      expectCliOutcome(result, { exitCode: ExitCode.usage, error, noWorker: true, outDir: dir.dir });
    });
  }
});

describe.concurrent('leakgate run: flags', () => {
  const rows: [string[], (string | RegExp)[]][] = [
    [['--iterations', '0'], ['--iterations must be a whole number >= 1, got 0']],
    [['--iterations', '-3'], ['--iterations must be a whole number >= 1, got -3']],
    [['--iterations=-3'], ['--iterations must be a whole number >= 1, got -3']],
    [['--iterations', 'abc'], ['--iterations must be a whole number, got "abc"']],
    [['--max-iterations', '0'], ['--max-iterations must be a whole number >= 1, got 0']],
    [['--max-iterations', '-2'], ['--max-iterations must be a whole number >= 1, got -2']],
    [['--timeout-scale', '0'], ['--timeout-scale must be a number from 0.01 to 1000']],
    [['--bogus'], ["Unknown option '--bogus'", 'leakgate run --help']],
  ];
  for (const [flags, error] of rows) {
    it(`${flags.join(' ')}: exit 2`, async () => {
      const result = await runCli(['run', '--model', model, '--out', out(), ...flags], { timeoutMs: TIMEOUT_MS });
      expectCliOutcome(result, { exitCode: ExitCode.usage, error, noWorker: true });
    });
  }

  it('--help lists the exit codes exactly as the README does', async () => {
    const result = await runCli(['--help'], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(result, { exitCode: ExitCode.ok });
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Exit codes'));
    const rows = [...table.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map(([, code, meaning]) => `${code}  ${meaning!.replaceAll('`', '')}`);
    expect(rows.length).toBe(9);
    const help = result.stdout.split('\n').map((line) => line.trim());
    for (const row of rows) expect(help).toContain(row);
  });
});
