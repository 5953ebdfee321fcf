/**
 * `leakgate gate RESULTS --baseline FILE` (and `run --baseline`) with missing, broken, invalid and
 * foreign baselines, through the real CLI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';
import { MIB } from '../../src/units.js';

const TIMEOUT_MS = 60_000;
const dir = refModelDir();
afterAll(dir.cleanup);
const path = (name: string): string => join(dir.dir, name);

let cleanResults: string;
let leakyResults: string;
let model: string;
let baseline: Record<string, unknown>;

/** Writes `baseline` changed by `change` and returns its path. */
function variant(name: string, change: (copy: Record<string, any>) => void): string {
  const copy = structuredClone(baseline) as Record<string, any>;
  change(copy);
  writeFileSync(path(name), JSON.stringify(copy));
  return path(name);
}

/** `leakgate gate RESULTS [--baseline FILE]`; null: the default baseline path (absent for these temp models). */
const gate = (results: string, baselineFile: string | null) =>
  runCli(['gate', results, ...(baselineFile === null ? [] : ['--baseline', baselineFile])], { timeoutMs: TIMEOUT_MS });

beforeAll(async () => {
  model = await dir.model('clean');
  cleanResults = path('clean.json');
  const written = await runCli(
    ['baseline', 'update', '--model', model, '--iterations', '6', '--out', cleanResults, '--baseline', path('baseline.json')],
    { timeoutMs: TIMEOUT_MS },
  );
  expect(written.exitCode, written.stderr).toBe(0);
  baseline = JSON.parse(readFileSync(path('baseline.json'), 'utf8')) as Record<string, unknown>;

  leakyResults = path('leaky.json');
  const leaky = await runCli(
    ['run', '--model', await dir.model('leaky', { leakPerLoadBytes: 4 * MIB }), '--iterations', '8', '--out', leakyResults],
    { timeoutMs: TIMEOUT_MS },
  );
  expect(leaky.exitCode, leaky.stderr).toBe(ExitCode.gateFailed);
  writeFileSync(path('not-json.json'), '{ "schema": "leakgate-baseline/1", ');
}, 120_000);

describe.concurrent('leakgate gate: baselines', () => {
  it('the baseline taken from the run: passes', async () => {
    const result = await gate(cleanResults, path('baseline.json'));
    expectCliOutcome(result, { exitCode: ExitCode.ok });
    expect(result.stdout).toContain('Gate: PASS');
  });

  it('no baseline at the default path, clean run: passes and says there is no baseline', async () => {
    const result = await gate(cleanResults, null);
    expectCliOutcome(result, { exitCode: ExitCode.ok });
    expect(result.stdout).toMatch(/Baseline: none \(\S*baselines\/reference\/\S+ does not exist\)/);
  });

  it('baseline update over an existing baseline: never says the file it replaces does not exist', async () => {
    writeFileSync(path('replaced.json'), JSON.stringify(baseline));
    const result = await runCli(
      [
        'baseline',
        'update',
        '--model',
        model,
        '--iterations',
        '6',
        '--out',
        path('replaced-results.json'),
        '--baseline',
        path('replaced.json'),
      ],
      { timeoutMs: TIMEOUT_MS },
    );
    expectCliOutcome(result, { exitCode: ExitCode.ok });
    expect(result.stdout).toContain('Baseline: none: no leak is tolerated');
    expect(result.stdout).not.toContain('does not exist');
  });

  it('an explicit --baseline that does not exist: exit 2, never "no baseline" (a typo must not gate on nothing)', async () => {
    const result = await gate(cleanResults, path('none.json'));
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: [`baseline not found: ${path('none.json')}`, '--baseline'] });
  });

  it('no baseline, leaking run: fails on the leak alone (exit 1)', async () => {
    const result = await gate(leakyResults, null);
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed });
    expect(result.stdout).toContain('Baseline: none');
    expect(result.stdout).toMatch(/leaky leaks/);
  });

  it('a baseline that is not JSON: exit 2 naming the file', async () => {
    const result = await gate(cleanResults, path('not-json.json'));
    expectCliOutcome(result, {
      exitCode: ExitCode.usage,
      error: [`${path('not-json.json')} is not valid JSON`, 'npx leakgate baseline update'],
    });
  });

  const invalid: [string, (copy: Record<string, any>) => void, string][] = [
    [
      'wrong schema',
      (copy) => void (copy.schema = 'leakgate-baseline/0'),
      'schema must be "leakgate-baseline/1", got "leakgate-baseline/0"',
    ],
    [
      'a tolerance without its direction',
      (copy) => void delete (Object.values(copy.tolerances as object)[0] as Record<string, unknown>).worse,
      '.worse must be "bigger" or "smaller"',
    ],
    ['iterations as text', (copy) => void (copy.provenance.iterations = 'six'), 'provenance.iterations must be a finite number, got "six"'],
    ['no metrics', (copy) => void delete copy.metrics, 'metrics must be an object'],
  ];
  for (const [what, change, message] of invalid) {
    it(`a baseline with ${what}: exit 2 naming the field`, async () => {
      const file = variant(`${what.replaceAll(' ', '-')}.json`, change);
      const result = await gate(cleanResults, file);
      expectCliOutcome(result, { exitCode: ExitCode.usage, error: [file, message] });
    });
  }

  it('a baseline for another platform: exit 2', async () => {
    const file = variant('other-platform.json', (copy) => void (copy.platform = 'win32-arm64'));
    const result = await gate(cleanResults, file);
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: [file, 'is for platform win32-arm64', '--baseline'] });
  });

  it('a baseline for another model set: exit 2', async () => {
    const file = variant('other-models.json', (copy) => void (copy.models[0].sha256Prefix = '0123456789abcdef'));
    const result = await gate(cleanResults, file);
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: [file, 'was taken on another model set', '--baseline'] });
  });

  it('run --baseline with a broken baseline: exit 2 before anything is measured', async () => {
    const file = variant('run-broken.json', (copy) => void (copy.schema = 'nope'));
    const result = await runCli(['run', '--model', model, '--iterations', '2', '--out', path('never.json'), '--baseline', file], {
      timeoutMs: TIMEOUT_MS,
    });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: [file, 'schema must be'], noWorker: true });
  });
});

describe('leakgate baseline update: what the replaced baseline accepted is kept', () => {
  // Written by hand, out of alphabetical order: kept verbatim, in the file's order.
  const acceptedEngineSites = [
    { function: 'refengine_leak_per_load', maxBytesPerSwitch: 64, reason: 'planted: 32 B per load' },
    { function: 'chatllm::BlockParams::FlashAttention::push', maxBytesPerSwitch: 128, reason: 'upstream: mode vector never popped' },
  ];

  it(
    'its accepted engine sites are carried over, said in one line, and a leak made only of them is no reason to refuse',
    async () => {
      // The replaced baseline is the clean model's (the sites are what matters): the run leaks 32 B per load at an accepted site.
      const file = variant('kept-sites.json', (copy) => void (copy.acceptedEngineSites = acceptedEngineSites));
      const leak32 = await dir.model('leak32', { leakPerLoadBytes: 32 });
      const result = await runCli(
        ['baseline', 'update', '--model', leak32, '--iterations', '10', '--out', path('leak32.json'), '--baseline', file],
        {
          timeoutMs: TIMEOUT_MS,
        },
      );
      expect(result.exitCode, result.stderr).toBe(ExitCode.ok);
      const written = readFileSync(file, 'utf8');
      expect(JSON.parse(written).acceptedEngineSites).toEqual(acceptedEngineSites);
      expect(written.indexOf('refengine_leak_per_load')).toBeLessThan(written.indexOf('FlashAttention'));
      expect(result.stdout).toMatch(/^Accepted engine sites kept from \S*kept-sites\.json: /m);
      expect(result.stdout).toContain(
        'kept-sites.json: refengine_leak_per_load (≤ 64 B/switch), chatllm::BlockParams::FlashAttention::push (≤ 128 B/switch)',
      );
    },
    TIMEOUT_MS,
  );
});
