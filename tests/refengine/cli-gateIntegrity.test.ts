/**
 * The gate passes only a complete, valid, judged run: every way a results file can be unfinished,
 * damaged or of another schema, and a --baseline that does not exist, through the real CLI. A FIFO
 * given as the file or the baseline is refused at once (it would hang any reader).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';

const TIMEOUT_MS = 60_000;
const dir = refModelDir();
afterAll(dir.cleanup);
const path = (name: string): string => join(dir.dir, name);

type Json = Record<string, any>;
let good: Json;
let modelKey: string;

/** Writes a variant of the good results file and returns its path. */
function variant(name: string, change: (json: Json) => void): string {
  const json = structuredClone(good);
  change(json);
  writeFileSync(path(name), JSON.stringify(json));
  return path(name);
}

const gate = (args: string[]) => runCli(['gate', ...args], { timeoutMs: TIMEOUT_MS });

beforeAll(async () => {
  const model = await dir.model('steady');
  const run = await runCli(['run', '--model', model, '--iterations', '6', '--out', path('good.json')], { timeoutMs: TIMEOUT_MS });
  expect(run.exitCode, run.stderr).toBe(0);
  good = JSON.parse(readFileSync(path('good.json'), 'utf8')) as Json;
  modelKey = good.leakgate.models[0].key as string;
  execFileSync('mkfifo', [path('fifo.json')]);
}, TIMEOUT_MS);

describe.concurrent('leakgate gate: only a complete run passes', () => {
  it('the complete run passes (the control)', async () => {
    expectCliOutcome(await gate([path('good.json')]), { exitCode: ExitCode.ok });
  });

  it('a run still marked running, no failure recorded (its process was killed): exit 1', async () => {
    const file = variant('running.json', (json) => {
      json.leakgate.status = 'running';
      json.iterations = json.iterations.slice(0, 1);
    });
    const result = await gate([file]);
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed });
    expect(result.stdout).toContain('[incomplete] the run did not finish (status running, 1 of 6 iterations measured');
    expect(result.stdout).toContain('Gate: FAIL');
  });

  it('a run marked complete that holds fewer iterations than planned: exit 1', async () => {
    const file = variant('short.json', (json) => {
      json.iterations = json.iterations.slice(0, 3);
    });
    const result = await gate([file]);
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed });
    expect(result.stdout).toContain('holds 3 of 6 planned iterations');
  });

  it('an interrupted run: exit 1 (not 130: the gate itself was not interrupted)', async () => {
    const file = variant('interrupted.json', (json) => {
      json.leakgate.status = 'failed';
      json.leakgate.failure = {
        kind: 'interrupted',
        modelKey,
        iteration: 3,
        step: null,
        signal: 'SIGINT',
        timeoutMs: null,
        message: 'interrupted during iteration 3',
      };
      json.iterations = json.iterations.slice(0, 2);
    });
    const result = await gate([file]);
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed });
    expect(result.stdout).toContain('[failure] interrupted during iteration 3');
  });
});

describe.concurrent('leakgate gate: a damaged or foreign results file is exit 2, naming the field', () => {
  /** What is damaged, how, and what the error line must say (given the model's key). */
  const rows: [string, (json: Json) => void, (key: string) => string][] = [
    [
      'null afterUnload probes',
      (json) => {
        json.iterations[2][modelKey].phases.afterUnload = null;
      },
      (key) => `iterations[2].${key}.phases.afterUnload is null`,
    ],
    [
      'a null RSS',
      (json) => {
        json.iterations[1][modelKey].phases.afterUnload.rssBytes = null;
      },
      (key) => `iterations[1].${key}.phases.afterUnload.rssBytes is not a finite number (null)`,
    ],
    [
      'heap values as strings',
      (json) => {
        json.iterations[0][modelKey].phases.beforeLoad.heapInUseBytes = '123';
      },
      (key) => `iterations[0].${key}.phases.beforeLoad.heapInUseBytes is not a finite number ("123")`,
    ],
    [
      'an optional probe as text (it would compare as within any tolerance)',
      (json) => {
        json.iterations[1][modelKey].phases.afterInfer.mallocFreeBytes = 'n/a';
      },
      (key) => `iterations[1].${key}.phases.afterInfer.mallocFreeBytes is not a finite number ("n/a")`,
    ],
    [
      'heap null in one sample only',
      (json) => {
        json.iterations[3][modelKey].phases.afterLoad.heapInUseBytes = null;
      },
      (key) => `iterations[3].${key}.phases.afterLoad.heapInUseBytes is null, but earlier samples`,
    ],
    [
      'iterations: []',
      (json) => {
        json.iterations = [];
      },
      () => 'iterations is empty: nothing was measured (leakgate.status complete)',
    ],
    [
      'models: []',
      (json) => {
        json.leakgate.models = [];
      },
      () => 'leakgate.models is empty',
    ],
    [
      'iterations without any model entry',
      (json) => {
        json.leakgate.status = 'running';
        for (const row of json.iterations) delete row[modelKey];
      },
      (key) => `iterations hold no entry for any of the models (${key})`,
    ],
    [
      'a failed status without a failure',
      (json) => {
        json.leakgate.status = 'failed';
      },
      () => 'leakgate.failure is null, but leakgate.status is failed',
    ],
    [
      'an unknown status',
      (json) => {
        json.leakgate.status = 'done';
      },
      () => 'leakgate.status is "done"',
    ],
    [
      'a newer schema',
      (json) => {
        json.leakgate.schema = 'leakgate-results/2';
        json.leakgate.leakgateVersion = '9.0.0';
      },
      () => 'leakgate.schema is "leakgate-results/2", this leakgate reads leakgate-results/1 only (written by leakgate 9.0.0',
    ],
    [
      'no schema at all',
      (json) => {
        delete json.leakgate.schema;
      },
      () => 'leakgate.schema is null',
    ],
  ];
  for (const [what, change, fragment] of rows) {
    it(`${what}: exit 2`, async () => {
      const file = variant(`bad-${what.replace(/\W+/g, '-')}.json`, change);
      expectCliOutcome(await gate([file]), { exitCode: ExitCode.usage, error: [file, fragment(modelKey)] });
    });
  }

  it('analyze refuses the same file (exit 2), it does not judge nulls as zeros', async () => {
    const file = variant('analyze-null.json', (json) => {
      json.iterations[2][modelKey].phases.afterUnload = null;
    });
    expectCliOutcome(await runCli(['analyze', file], { timeoutMs: TIMEOUT_MS }), {
      exitCode: ExitCode.usage,
      error: [`iterations[2].${modelKey}.phases.afterUnload is null`],
    });
  });
});

describe.concurrent('leakgate gate: baselines and FIFOs', () => {
  it('an explicit --baseline that does not exist: exit 2 (only the default path may be absent)', async () => {
    const result = await gate([path('good.json'), '--baseline', '/nonexistent/typo.json']);
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: ['baseline not found: /nonexistent/typo.json', '--baseline'] });
  });

  it('a FIFO as the results file: exit 2 at once, no hang', async () => {
    const result = await gate([path('fifo.json')]);
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: [path('fifo.json'), 'is a FIFO (named pipe), not a regular file'] });
  });

  it('a FIFO as --baseline: exit 2 at once, no hang', async () => {
    const result = await gate([path('good.json'), '--baseline', path('fifo.json')]);
    expectCliOutcome(result, { exitCode: ExitCode.usage, error: [`baseline ${path('fifo.json')} is a FIFO`] });
  });

  it('a FIFO given to analyze and report: exit 2 at once', async () => {
    for (const command of [
      ['analyze', path('fifo.json')],
      ['report', path('fifo.json'), '-o', path('report')],
    ]) {
      expectCliOutcome(await runCli(command, { timeoutMs: TIMEOUT_MS }), { exitCode: ExitCode.usage, error: ['is a FIFO'] });
    }
  });
});
