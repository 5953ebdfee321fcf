/**
 * Hostile input, by harm: nothing opened can block, nothing parsed can explode (issue 25). FIFOs where
 * leakgate opens a file, a >2 GiB file with a huge value where a reference model keeps its header
 * size, results files that are huge, nested 100,000 deep or start with a byte-order mark: each is a
 * one-line exit 2 within seconds, never a hang, an abort (134) or exit 5.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';

const TIMEOUT_MS = 60_000;
/** A hang never ends: each refusal takes 1-3 s alone; the margin is for a shared, busy machine. */
const NO_HANG_MS = 30_000;
const dir = refModelDir();
afterAll(dir.cleanup);
const path = (...names: string[]): string => join(dir.dir, ...names);

const haveMkfifo = spawnSync('mkfifo', ['--version']).status === 0;
const fifo = (name: string): string => {
  const file = path(name);
  expect(spawnSync('mkfifo', [file]).status).toBe(0);
  return file;
};

let model: string;
let results: string;

beforeAll(async () => {
  model = await dir.model('good');
  results = path('measured.json');
  const measured = await runCli(['run', '--iterations', '2', '--model', model, '--out', results], { timeoutMs: TIMEOUT_MS });
  expect(measured.exitCode, measured.stderr).toBe(ExitCode.gateFailed); // 2 iterations: undecided
});

describe.skipIf(!haveMkfifo).concurrent('a FIFO where leakgate opens a file: exit 2 at once, never a hang', () => {
  it('--truth FIFO.txt', async () => {
    const truth = fifo('truth.txt');
    const result = await runCli(['run', '--iterations', '2', '--model', model, '--truth', truth, '--out', path('t.json')], {
      timeoutMs: NO_HANG_MS,
    });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['truth file', truth, 'FIFO'], noWorker: true });
  });

  it('a FIFO at report.html for --report: refused before measuring', async () => {
    mkdirSync(path('rep'));
    fifo('rep/report.html');
    const result = await runCli(['run', '--iterations', '2', '--model', model, '--report', path('rep'), '--out', path('r.json')], {
      timeoutMs: NO_HANG_MS,
    });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['report.html', 'FIFO'], noWorker: true });
  });

  it('doctor --model FIFO', async () => {
    const model = fifo('model.bin');
    const result = await runCli(['doctor', '--model', model], { timeoutMs: NO_HANG_MS });
    expect(result.timedOut, result.stdout).toBe(false);
    expect(result.exitCode, result.stdout).toBe(ExitCode.usage);
    expect(result.stdout).toMatch(/FAIL\s+model\s+model file .*model\.bin is a FIFO/);
  });

  it('GITHUB_STEP_SUMMARY=FIFO leakgate gate', async () => {
    const summary = fifo('summary.md');
    const result = await runCli(['gate', results], { timeoutMs: NO_HANG_MS, env: { ...process.env, GITHUB_STEP_SUMMARY: summary } });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['GITHUB_STEP_SUMMARY', summary, 'FIFO'] });
  });
});

describe.concurrent('nothing parsed can explode', () => {
  /** A sparse file over 2 GiB with 0xF0000000 at bytes 12-15 (a reference model keeps its header size there). */
  const hugeFile = (name: string, head: string): string => {
    const file = path(name);
    const fd = openSync(file, 'w');
    const bytes = Buffer.alloc(16);
    bytes.write(head, 0, 'latin1');
    bytes.writeUInt32LE(0xf000_0000, 12);
    writeSync(fd, bytes, 0, 16, 0);
    closeSync(fd);
    truncateSync(file, 3 * 1024 ** 3);
    return file;
  };

  it('a 3 GiB file with 2^31+ at bytes 12-15 as --model (run): exit 2, no abort', async () => {
    const video = hugeFile('video.bin', '\0\0\0\x18ftypmp42');
    const result = await runCli(['run', '--iterations', '2', '--model', video, '--out', path('v.json')], { timeoutMs: NO_HANG_MS });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['not a model file', video], noWorker: true });
  });

  it('the same with the reference magic (a corrupt reference model): exit 2 naming the header, in run and doctor', async () => {
    const corrupt = hugeFile('corrupt-ref.bin', 'LGREFMDL\x02\0\0\0');
    const run = await runCli(['run', '--iterations', '2', '--model', corrupt, '--out', path('c.json')], { timeoutMs: NO_HANG_MS });
    expectCliOutcome(run, { exitCode: ExitCode.usage, error: ['reference model header corrupt', corrupt], noWorker: true });
    const doctor = await runCli(['doctor', '--model', corrupt], { timeoutMs: NO_HANG_MS });
    expect(doctor.exitCode, doctor.stdout + doctor.stderr).toBe(ExitCode.usage);
    expect(doctor.stdout).toContain('reference model header corrupt');
  });

  it('a 1 GiB results file: exit 2 naming its size, not "cannot read …: undefined"', async () => {
    const big = path('big.json');
    writeFileSync(big, '{');
    truncateSync(big, 1024 ** 3);
    const result = await runCli(['gate', big], { timeoutMs: NO_HANG_MS });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['results file', big, '1.0 GiB', 'more than'] });
  });

  it('a results file nested 100,000 deep, with --json: exit 2, not a stack overflow (exit 5)', async () => {
    const deep = path('deep.json');
    writeFileSync(deep, `{"leakgate": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const result = await runCli(['gate', deep, '--json'], { timeoutMs: NO_HANG_MS });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['results file', deep, 'more than 64 deep'] });
  });

  it('a results file that starts with a UTF-8 BOM is read (control: the same verdict as without it)', async () => {
    const bom = path('bom.json');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(results)]));
    const withBom = await runCli(['gate', bom], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(withBom, { exitCode: ExitCode.gateFailed });
    expect(withBom.stdout).toContain('Gate: FAIL');
  });
});
