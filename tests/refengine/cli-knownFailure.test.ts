/**
 * Known failures through the real CLI, on the reference engine: `baseline update --accept-failure`
 * records a destroy abort; the gate then passes the same abort with the known-failure line, fails an
 * abort at another phase, and says the known failure is gone when the run does not abort.
 *
 * The reference engine reads its behaviour from the model file, so "the engine now fails at another
 * phase" needs another model file. The gate ties a baseline to its model set (by hash), so those
 * runs are gated against a copy of the baseline whose model identity is that of the other file:
 * the stand-in for chatllm.cpp, where the engine changes and the model stays.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { readResultsFile } from '../../src/pipelines/readResultsFile.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';

const TIMEOUT_MS = 60_000;
const dir = refModelDir();
afterAll(dir.cleanup);
const path = (name: string): string => join(dir.dir, name);

let baseline: Record<string, any>;
let aborts: string;

/** Runs `model` and gates it against the accepted baseline, retargeted at `model`'s identity. */
async function gateAgainstAccepted(name: string, model: string) {
  const out = path(`${name}.json`);
  await runCli(['run', '--model', model, '--iterations', '3', '--out', out], { timeoutMs: TIMEOUT_MS });
  const { results } = (await readResultsFile(out)) as unknown as { results: { models: Record<string, unknown>[] } };
  const copy = structuredClone(baseline);
  const { key, label, kind, sizeBytes, sha256Prefix } = results.models[0]!;
  copy.models[0] = { key, label, kind, sizeBytes, sha256Prefix };
  writeFileSync(path(`${name}-baseline.json`), JSON.stringify(copy));
  return runCli(['gate', out, '--baseline', path(`${name}-baseline.json`)], { timeoutMs: TIMEOUT_MS });
}

beforeAll(async () => {
  aborts = await dir.model('destroy-aborts', { crash: { step: 'unload', iteration: 1, kind: 'abort' } });
  const refused = await runCli(
    ['baseline', 'update', '--model', aborts, '--iterations', '3', '--out', path('first.json'), '--baseline', path('refused.json')],
    { timeoutMs: TIMEOUT_MS },
  );
  expect(refused.exitCode, refused.stderr).toBe(ExitCode.engineFailure);
  expect(refused.stderr).toContain('--accept-failure "REASON" to record the failure as known');

  const written = await runCli(
    [
      'baseline',
      'update',
      '--model',
      aborts,
      '--iterations',
      '3',
      '--out',
      path('accepted.json'),
      '--baseline',
      path('baseline.json'),
      '--accept-failure',
      'upstream PR #111 open',
      '--accepted-by',
      'alice',
    ],
    { timeoutMs: TIMEOUT_MS },
  );
  expect(written.exitCode, written.stderr).toBe(0);
  baseline = JSON.parse(readFileSync(path('baseline.json'), 'utf8')) as Record<string, any>;
}, 120_000);

describe.concurrent('known failures', () => {
  it('baseline update --accept-failure records kind, step, signal, pattern, reason and who', () => {
    expect(baseline.accepted.failure).toEqual({
      kind: 'crash',
      step: 'unload',
      signal: 'SIGABRT',
      messagePattern: 'engine aborted in chatllm_destroy \\(SIGABRT\\)',
      reason: 'upstream PR #111 open',
      acceptedBy: 'alice',
    });
  });

  it('the same abort passes (exit 0) with the known-failure line', async () => {
    const result = await runCli(['gate', path('accepted.json'), '--baseline', path('baseline.json')], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(result, { exitCode: ExitCode.ok });
    expect(result.stdout).toContain('Gate: PASS');
    expect(result.stdout).toContain(
      `known failure: engine aborted in chatllm_destroy (SIGABRT) at unload; accepted in ${path('baseline.json')} by ` +
        `alice: upstream PR #111 open`,
    );
  });

  it('leakgate run itself passes the known failure (exit 0, not 3)', async () => {
    const result = await runCli(
      ['run', '--model', aborts, '--iterations', '3', '--out', path('again.json'), '--baseline', path('baseline.json')],
      { timeoutMs: TIMEOUT_MS },
    );
    expect(result.exitCode, result.stderr).toBe(ExitCode.ok);
    expect(result.stdout).toContain('known failure: engine aborted in chatllm_destroy (SIGABRT)');
  });

  it('an abort at another phase (inference) fails as an engine failure (exit 3) naming the accepted one', async () => {
    const result = await gateAgainstAccepted(
      'infer-aborts',
      await dir.model('infer-aborts', { crash: { step: 'infer', iteration: 1, kind: 'abort' } }),
    );
    expectCliOutcome(result, { exitCode: ExitCode.engineFailure });
    expect(result.stdout).toContain('Gate: FAIL');
    expect(result.stdout).toMatch(
      /\[failure\] engine aborted in chatllm_user_input \(SIGABRT\).* — not the accepted failure \(engine aborted in chatllm_destroy/,
    );
  });

  it('a segfault at destroy (another signal) fails too', async () => {
    const result = await gateAgainstAccepted(
      'destroy-segv',
      await dir.model('destroy-segv', { crash: { step: 'unload', iteration: 1, kind: 'segv' } }),
    );
    expectCliOutcome(result, { exitCode: ExitCode.engineFailure });
    expect(result.stdout).toContain('not the accepted failure');
  });

  it('a run without the abort fails loudly: the known failure is gone, update the baseline', async () => {
    const result = await gateAgainstAccepted('fixed', await dir.model('fixed'));
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed });
    expect(result.stdout).toContain(
      '[known-failure-gone] fixed upstream: the accepted failure (engine aborted in chatllm_destroy (SIGABRT) at unload) did not happen',
    );
    expect(result.stdout).toContain('remove the accepted failure from');
  });
});

describe('baseline update over a baseline with a known failure', () => {
  it(
    'a run that fails the same way keeps the accepted failure (who and why) without --accept-failure, and says so',
    async () => {
      writeFileSync(path('rewritten.json'), JSON.stringify(baseline));
      const result = await runCli(
        ['baseline', 'update', '--model', aborts, '--iterations', '3', '--out', path('rewrite.json'), '--baseline', path('rewritten.json')],
        { timeoutMs: TIMEOUT_MS },
      );
      expect(result.exitCode, result.stderr).toBe(ExitCode.ok);
      expect(result.stdout).toMatch(
        /^Known failure kept from \S*rewritten\.json: engine aborted in chatllm_destroy \(SIGABRT\) at unload \(accepted by alice\)$/m,
      );
      const rewritten = JSON.parse(readFileSync(path('rewritten.json'), 'utf8')) as Record<string, any>;
      expect(rewritten.accepted.failure).toEqual(baseline.accepted.failure);
    },
    TIMEOUT_MS,
  );
});

describe('an accepted-failure pattern from a baseline is text, never a regular expression', () => {
  it('a catastrophic pattern "^(\\w+\\s?)*$" does not hang the gate: matched as text, it is not this failure (exit 3)', async () => {
    const copy = structuredClone(baseline);
    copy.accepted.failure.messagePattern = '^(\\w+\\s?)*$';
    writeFileSync(path('catastrophic.json'), JSON.stringify(copy));
    const result = await runCli(['gate', path('accepted.json'), '--baseline', path('catastrophic.json')], { timeoutMs: 10_000 });
    expectCliOutcome(result, { exitCode: ExitCode.engineFailure });
    expect(result.stdout).toContain('not the accepted failure');
  });
});
