/**
 * Hostile input, by harm: the right exit code (issue 25). A baseline for another engine, negative
 * tolerances and duplicate model keys are exit 2 naming the field; timeouts are validated; environment
 * variables are named as such; too few open files is exit 4 with one line. Never 5, never a stack.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli, STACK_LINE } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';

const TIMEOUT_MS = 60_000;
const CLI = fileURLToPath(new URL('../../bin/leakgate.js', import.meta.url));
const dir = refModelDir();
afterAll(dir.cleanup);
const path = (name: string): string => join(dir.dir, name);

let models: string[];
let results: Record<string, any>;
let baseline: Record<string, any>;

beforeAll(async () => {
  models = [await dir.model('a'), await dir.model('b')];
  const written = await runCli(
    [
      'baseline',
      'update',
      '--iterations',
      '2',
      '--model',
      models[0]!,
      '--model',
      models[1]!,
      '--out',
      path('r.json'),
      '--baseline',
      path('base.json'),
      '--accept',
      'two iterations',
    ],
    { timeoutMs: TIMEOUT_MS },
  );
  expect(written.exitCode, written.stderr).toBe(ExitCode.ok);
  results = JSON.parse(readFileSync(path('r.json'), 'utf8')) as Record<string, any>;
  baseline = JSON.parse(readFileSync(path('base.json'), 'utf8')) as Record<string, any>;
});

/** Gates the measured results against a baseline changed by `edit`. */
function gateWithBaseline(name: string, edit: (copy: Record<string, any>) => void) {
  const copy = structuredClone(baseline);
  edit(copy);
  writeFileSync(path(name), JSON.stringify(copy));
  return runCli(['gate', path('r.json'), '--baseline', path(name)], { timeoutMs: TIMEOUT_MS });
}

describe.concurrent('a bad baseline or results file is exit 2 naming the field', () => {
  it('control: the baseline as written gates (not exit 2)', async () => {
    const result = await gateWithBaseline('same.json', () => undefined);
    expect(result.exitCode, result.stderr).not.toBe(ExitCode.usage);
  });

  it('a baseline for another engine ("chatllm.cpp" against a reference run): exit 2 naming the engine, not PASS', async () => {
    const result = await gateWithBaseline('other-engine.json', (copy) => (copy.engine = 'chatllm.cpp'));
    expectCliOutcome(result, {
      exitCode: ExitCode.usage,
      error: ['engine is "chatllm.cpp"', 'the run\'s engine is "reference"', '--baseline'],
    });
  });

  it('a negative tolerance: exit 2 naming it', async () => {
    const name = Object.keys(baseline.tolerances)[0]!;
    const result = await gateWithBaseline('negative.json', (copy) => (copy.tolerances[name].absolute = -1));
    expectCliOutcome(result, {
      exitCode: ExitCode.usage,
      error: [`tolerances["${name}"].absolute`, 'must be a finite number >= 0', 'got -1'],
    });
  });

  it('two models with one key in a results file: exit 2 naming the second, not one judged and PASS', async () => {
    const copy = structuredClone(results);
    copy.leakgate.models[1].key = copy.leakgate.models[0].key;
    writeFileSync(path('dup.json'), JSON.stringify(copy));
    const result = await runCli(['gate', path('dup.json')], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['leakgate.models[1].key', 'the key of leakgate.models[0] too'] });
  });
});

describe.concurrent('settings are validated and named by where they came from', () => {
  // 1e-9: every timeout rounded to 0 ms, and the engine blamed for hanging (exit 3)
  for (const scale of ['Infinity', '1e6', '1e-9']) {
    it(`--timeout-scale ${scale}: exit 2 before any worker, not "engine hung"`, async () => {
      const result = await runCli(
        ['run', '--iterations', '2', '--model', models[0]!, '--timeout-scale', scale, '--out', path(`ts-${scale}.json`)],
        { timeoutMs: TIMEOUT_MS },
      );
      expectCliOutcome(result, {
        exitCode: ExitCode.usage,
        error: ['--timeout-scale must be a number from 0.01 to 1000'],
        noWorker: true,
      });
    });
  }

  it('ITERATIONS=-5 is named as the environment variable, not --iterations', async () => {
    const result = await runCli(['run', '--model', models[0]!, '--out', path('env.json')], {
      timeoutMs: TIMEOUT_MS,
      env: { ...process.env, ITERATIONS: '-5' },
    });
    expectCliOutcome(result, {
      exitCode: ExitCode.usage,
      error: ['ITERATIONS (environment) must be a whole number >= 1, got -5'],
      noWorker: true,
    });
  });

  it('ITERATIONS=abc too', async () => {
    const result = await runCli(['run', '--model', models[0]!, '--out', path('env2.json')], {
      timeoutMs: TIMEOUT_MS,
      env: { ...process.env, ITERATIONS: 'abc' },
    });
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['ITERATIONS (environment) is "abc", not a number'], noWorker: true });
  });
});

describe('resource limits are exit 4 with one line', () => {
  it("ulimit -n 30: exit 4 naming the limit, no stack (Node itself segfaults below ~16: out of leakgate's reach)", () => {
    const result = spawnSync(
      'bash',
      ['-c', `ulimit -n 30 && exec "${process.execPath}" "${CLI}" run --iterations 2 --model "${models[0]}" --out "${path('fd.json')}"`],
      { encoding: 'utf8', timeout: TIMEOUT_MS },
    );
    expect(result.status, result.stderr).toBe(ExitCode.environment);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('too many open files: the limit is 30')]);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
