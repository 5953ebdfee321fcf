/**
 * Hostile input, by harm: data given or measured is never destroyed (issue 25). Every file leakgate
 * writes is opened without following a link and checked against the command's inputs; each row plants
 * the trap, runs the real CLI and checks the planted file is intact.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';
import { readRefModelHeader } from '../../src/refmodel/readRefModelHeader.js';
import { writeRefModel } from '../../src/refmodel/writeRefModel.js';
import { MIB } from '../../src/units.js';

const TIMEOUT_MS = 60_000;
const dir = refModelDir();
afterAll(dir.cleanup);

const path = (...names: string[]): string => join(dir.dir, ...names);
const VICTIM_TEXT = "precious data, not leakgate's\n";
let models: string[];
/** A results file measured once, for the commands that read one. */
let results: string;

/** A file of the user's that no command may change: returns its path. */
function victim(name: string, text = VICTIM_TEXT): string {
  const file = path(name);
  writeFileSync(file, text);
  return file;
}

const run = (extra: string[], env?: NodeJS.ProcessEnv) =>
  runCli(['run', '--iterations', '2', '--model', models[0]!, '--model', models[1]!, ...extra], { timeoutMs: TIMEOUT_MS, env });

beforeAll(async () => {
  models = [await dir.model('a'), await dir.model('b')];
  results = path('measured.json');
  const measured = await run(['--out', results]);
  expect(existsSync(results), measured.stderr).toBe(true);
});

describe.concurrent('leakgate never writes through a link', () => {
  it('a link at OUT.journal.jsonl: exit 2 naming it, before measuring; its target intact', async () => {
    const target = victim('journal-victim.txt');
    symlinkSync(target, path('j.json.journal.jsonl'));
    const result = await run(['--out', path('j.json')]);
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['j.json.journal.jsonl', 'symbolic link'], noWorker: true });
    expect(readFileSync(target, 'utf8')).toBe(VICTIM_TEXT);
  });

  it("a link at OUT.journal.jsonl to the run's own model: the model intact", async () => {
    const before = readFileSync(models[0]!);
    symlinkSync(models[0]!, path('jm.json.journal.jsonl'));
    const result = await run(['--out', path('jm.json')]);
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['jm.json.journal.jsonl'], noWorker: true });
    expect(readFileSync(models[0]!).equals(before)).toBe(true);
  });

  it('links at the report SVGs: the report replaces the links, their targets intact', async () => {
    const rep = path('rep-links');
    mkdirSync(rep);
    const first = await runCli(['report', results, '-o', rep], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(first, { exitCode: ExitCode.ok });
    const svgs = readdirSync(rep).filter((name) => name.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThan(0);
    const target = victim('svg-victim.txt');
    for (const svg of svgs) {
      rmSync(join(rep, svg));
      symlinkSync(target, join(rep, svg));
    }
    const second = await run(['--out', path('svg.json'), '--report', rep]);
    expect(second.exitCode, second.stderr).toBe(ExitCode.gateFailed); // 2 iterations: undecided
    expect(readFileSync(target, 'utf8')).toBe(VICTIM_TEXT);
    expect(readFileSync(join(rep, svgs[0]!), 'utf8')).toContain('<svg');
  });

  it('a regular file at OUT.lock that leakgate did not write: exit 2 naming it, never deleted', async () => {
    const lock = victim('l.json.lock', 'my notes about this run\n');
    const result = await run(['--out', path('l.json')]);
    expectCliOutcome(result, {
      exitCode: ExitCode.usage,
      error: ['l.json.lock', 'not a lock leakgate made', 'left as it is'],
      noWorker: true,
    });
    expect(readFileSync(lock, 'utf8')).toBe('my notes about this run\n');
  });

  it('a folder at OUT.lock: exit 2 naming it, not exit 5', async () => {
    mkdirSync(path('d.json.lock'));
    const result = await run(['--out', path('d.json')]);
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['d.json.lock', 'a folder'], noWorker: true });
    expect(existsSync(path('d.json.lock'))).toBe(true);
  });

  it("control: a stale lock leakgate wrote (a dead process's pid) is taken over", async () => {
    writeFileSync(path('s.json.lock'), '999999999\n');
    const result = await run(['--out', path('s.json')]);
    expect(result.exitCode, result.stderr).toBe(ExitCode.gateFailed); // 2 iterations: undecided
    expect(existsSync(path('s.json'))).toBe(true);
    expect(existsSync(path('s.json.lock'))).toBe(false);
  });
});

describe.concurrent('an output is never one of the inputs', () => {
  it('--out is the --ffmpeg: exit 2 naming both, ffmpeg intact', async () => {
    const ffmpeg = victim('ffmpeg', '#!/bin/sh\necho "ffmpeg version 9.9-fake"\n');
    chmodSync(ffmpeg, 0o755);
    const result = await run(['--ffmpeg', ffmpeg, '--out', ffmpeg]);
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['results file (--out)', 'ffmpeg', 'another file'], noWorker: true });
    expect(readFileSync(ffmpeg, 'utf8')).toContain('9.9-fake');
  });

  it('--out is the --baseline: exit 2 naming both, baseline intact', async () => {
    const baseline = victim('base.json', '{"hand": "written"}\n');
    const result = await run(['--baseline', baseline, '--out', baseline]);
    expectCliOutcome(result, {
      exitCode: ExitCode.usage,
      error: ['results file (--out)', 'baseline (--baseline)', 'two different files'],
      noWorker: true,
    });
    expect(readFileSync(baseline, 'utf8')).toBe('{"hand": "written"}\n');
  });

  it('baseline update --out s.json --baseline s.json: exit 2, s.json intact', async () => {
    const same = victim('same.json', '{"hand": "written"}\n');
    const result = await runCli(
      ['baseline', 'update', '--iterations', '2', '--model', models[0]!, '--model', models[1]!, '--out', same, '--baseline', same],
      { timeoutMs: TIMEOUT_MS },
    );
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['results file (--out)', 'baseline (--baseline)'], noWorker: true });
    expect(readFileSync(same, 'utf8')).toBe('{"hand": "written"}\n');
  });

  it('--out rep/report.html --report rep: exit 2 before measuring, the old file intact', async () => {
    mkdirSync(path('rep-out'));
    const html = victim('rep-out/report.html', 'an old report\n');
    const result = await run(['--out', html, '--report', path('rep-out')]);
    expectCliOutcome(result, {
      exitCode: ExitCode.usage,
      error: ['report', 'results file (--out)', 'holds none of the files it reads'],
      noWorker: true,
    });
    expect(readFileSync(html, 'utf8')).toBe('an old report\n');
  });

  it('report rep/report.html -o rep: exit 2, its input intact', async () => {
    mkdirSync(path('rep-in'));
    const input = path('rep-in', 'report.html');
    writeFileSync(input, readFileSync(results));
    const result = await runCli(['report', input, '-o', path('rep-in')], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['report', 'is the results file', '-o'] });
    expect(readFileSync(input).equals(readFileSync(results))).toBe(true);
  });

  it('GITHUB_STEP_SUMMARY is the results file gated: exit 2 naming both, results intact', async () => {
    const copy = path('gated.json');
    writeFileSync(copy, readFileSync(results));
    const result = await runCli(['gate', copy], { timeoutMs: TIMEOUT_MS, env: { ...process.env, GITHUB_STEP_SUMMARY: copy } });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['GITHUB_STEP_SUMMARY', 'is the results file', copy] });
    expect(readFileSync(copy).equals(readFileSync(results))).toBe(true);
  });
});

describe.concurrent('the generated reference models (run with no --model) are kept where only this user writes', () => {
  const uid = process.getuid?.() ?? 'user';

  it(
    'a cached model replaced by another of the same size is regenerated, not measured',
    async () => {
      const tmp = path('tmp-replaced');
      mkdirSync(tmp);
      const env = { ...process.env, TMPDIR: tmp };
      // Generating the two default models (32 and 80 MiB) takes a few seconds more on a busy machine.
      const first = await runCli(['run', '--iterations', '1', '--out', path('gen1.json')], { timeoutMs: 2 * TIMEOUT_MS, env });
      expect(first.exitCode, first.stderr).toBe(ExitCode.gateFailed); // 1 iteration: undecided
      const cached = join(tmp, `leakgate-${uid}`, 'ref-models', 'ref-small.bin');
      await writeRefModel(cached, { sizeBytes: 32 * MIB, leakPerLoadBytes: MIB });
      const second = await runCli(['run', '--iterations', '1', '--out', path('gen2.json')], { timeoutMs: 2 * TIMEOUT_MS, env });
      expect(second.exitCode, second.stderr).toBe(ExitCode.gateFailed);
      expect((await readRefModelHeader(cached))?.leakPerLoadBytes).toBe(0);
    },
    5 * TIMEOUT_MS,
  );

  it('a cache folder others may write: exit 2 naming it, nothing generated there', async () => {
    const tmp = path('tmp-shared');
    mkdirSync(join(tmp, `leakgate-${uid}`), { recursive: true });
    chmodSync(join(tmp, `leakgate-${uid}`), 0o777);
    const result = await runCli(['run', '--iterations', '1', '--out', path('gen3.json')], {
      timeoutMs: TIMEOUT_MS,
      env: { ...process.env, TMPDIR: tmp },
    });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: [`leakgate-${uid}`, 'writable by others', 'TMPDIR'], noWorker: true });
    expect(readdirSync(join(tmp, `leakgate-${uid}`))).toEqual([]);
  });
});
