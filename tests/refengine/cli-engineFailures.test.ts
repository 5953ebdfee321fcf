/**
 * Engine crashes, hangs, Ctrl-C and a killed host, through the real CLI: exit 3 (or 130) with one
 * line naming the call, signal, model, iteration and phase; every completed iteration kept in the
 * results file; the partial report printed; no process left behind.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import type { RefModelSpec } from '../../src/refmodel/RefModelSpec.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli, STACK_LINE, startCli, waitFor } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';
import { readResults, recordsIn } from '../support/resultsFiles.js';

const TIMEOUT_MS = 60_000;
/** Phase timeouts x0.02: 0.6 s load and unload, 2.4 s infer for a 4 MiB model; a hang is caught in seconds. */
const TIMEOUT_SCALE = '0.02';
const dir = refModelDir();
afterAll(dir.cleanup);

async function runModel(name: string, spec: Partial<RefModelSpec>, iterations: number, extra: string[] = []) {
  const model = await dir.model(name, spec);
  const out = join(dir.dir, `${name}.json`);
  const result = await runCli(['run', '--model', model, '--iterations', String(iterations), '--out', out, ...extra], {
    timeoutMs: TIMEOUT_MS,
  });
  return { result, out };
}

// Crashes need no timing: these rows run side by side.
describe.concurrent('leakgate run: engine crashes', () => {
  const crashes: [RefModelSpec['crash'] & object, string][] = [
    [{ step: 'load', iteration: 2, kind: 'abort' }, 'engine aborted in chatllm_start (SIGABRT)'],
    [{ step: 'load', iteration: 2, kind: 'segv' }, 'engine crashed (segmentation fault) in chatllm_start (SIGSEGV)'],
    [{ step: 'infer', iteration: 2, kind: 'abort' }, 'engine aborted in chatllm_user_input (SIGABRT)'],
    [{ step: 'infer', iteration: 2, kind: 'segv' }, 'engine crashed (segmentation fault) in chatllm_user_input (SIGSEGV)'],
    [{ step: 'unload', iteration: 2, kind: 'abort' }, 'engine aborted in chatllm_destroy (SIGABRT)'],
    [{ step: 'unload', iteration: 2, kind: 'segv' }, 'engine crashed (segmentation fault) in chatllm_destroy (SIGSEGV)'],
  ];
  for (const [crash, message] of crashes) {
    it(`crash at ${crash.step}:${crash.iteration}:${crash.kind}: exit 3, "${message}", iteration 1 kept`, async () => {
      const name = `crash-${crash.step}-${crash.kind}`;
      const { result, out } = await runModel(name, { crash }, 3);
      expectCliOutcome(result, {
        exitCode: ExitCode.engineFailure,
        error: [message, `model ${name}, iteration 2, ${crash.step}`],
        outDir: dir.dir,
      });
      const results = readResults(out);
      expect(results.status).toBe('failed');
      expect(results.failure).toMatchObject({
        kind: 'crash',
        iteration: 2,
        step: crash.step,
        signal: crash.kind === 'abort' ? 'SIGABRT' : 'SIGSEGV',
      });
      expect(results.records.map((record) => record.iteration)).toEqual([1]);
      expect(result.stdout).toContain('Summary (1 iterations)');
    });
  }
});

// Hangs are caught by scaled-down timeouts: one at a time, so a busy machine cannot fake one.
describe('leakgate run: engine hangs', () => {
  const hangs: [RefModelSpec['hang'] & object, string][] = [
    [{ step: 'load', iteration: 2 }, 'engine hung in chatllm_start'],
    [{ step: 'infer', iteration: 2 }, 'engine hung in chatllm_user_input'],
    [{ step: 'unload', iteration: 2 }, 'engine hung in chatllm_destroy'],
  ];
  for (const [hang, message] of hangs) {
    it(`hang at ${hang.step}:${hang.iteration}: exit 3 within the scaled timeout, worker killed`, async () => {
      const name = `hang-${hang.step}`;
      const { result, out } = await runModel(name, { hang }, 3, ['--timeout-scale', TIMEOUT_SCALE]);
      expectCliOutcome(result, {
        exitCode: ExitCode.engineFailure,
        error: [message, /no answer within \d+ ms, worker killed/, `model ${name}, iteration 2, ${hang.step}`, '--timeout-scale'],
        outDir: dir.dir,
      });
      const results = readResults(out);
      expect(results.failure).toMatchObject({ kind: 'hang', iteration: 2, step: hang.step });
      expect(results.failure!.timeoutMs).toBeLessThanOrEqual(2_500);
      expect(results.records.map((record) => record.iteration)).toEqual([1]);
    });
  }

  it('a crash at iteration 7 of 10 keeps iterations 1-6 and prints the partial report', async () => {
    const { result, out } = await runModel('crash-7', { crash: { step: 'infer', iteration: 7, kind: 'abort' } }, 10);
    expectCliOutcome(result, {
      exitCode: ExitCode.engineFailure,
      error: ['engine aborted in chatllm_user_input (SIGABRT)', 'model crash-7, iteration 7, infer'],
      outDir: dir.dir,
    });
    const results = readResults(out);
    expect(results.iterationsPlanned).toBe(10);
    expect(results.records.map((record) => record.iteration)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const record of results.records) expect(record.phases.afterUnload.rssBytes).toBeGreaterThan(0);
    // The failed switch's samples before the crash are kept too.
    expect(Object.keys(results.failure!.partialCycle!.phases)).toEqual(['beforeLoad', 'afterLoad']);
    expect(result.stdout).toContain('Summary (6 iterations)');
    expect(result.stdout).toContain('Memory before the failure');
  });

  it('an empty transcript is scored and flagged, not a crash', async () => {
    const { result, out } = await runModel('silent', { transcript: '' }, 2);
    // Two switches are too few for a verdict: the gate fails on undecided (exit 1), not as a crash (3).
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed, outDir: dir.dir });
    expect(result.stdout).toContain('Verdict: UNDECIDED');
    const results = readResults(out);
    expect(results.status).toBe('complete');
    for (const record of results.records) {
      expect(record.transcript).toBe('');
      expect(record.werPercent).toBe(100);
      expect(record.ttftMs).toBeNull();
    }
    expect(result.stdout).toMatch(/warning: silent returned an empty transcript 2 time/);
  });
});

describe('leakgate run: interrupted', () => {
  it('Ctrl-C keeps the completed iterations, prints the partial report and exits 130', async () => {
    const model = await dir.model('slow', { ttftMs: 100 });
    const out = join(dir.dir, 'interrupted.json');
    const cli = startCli(['run', '--model', model, '--iterations', '50', '--out', out], { timeoutMs: TIMEOUT_MS });
    await waitFor(() => recordsIn(out) >= 2, 40_000, 'two iterations in the results file');
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expectCliOutcome(result, {
      exitCode: ExitCode.interrupted,
      error: [/interrupted (during iteration \d+|before the first iteration)/],
      otherStderrLines: 1,
      outDir: dir.dir,
    });
    expect(result.stderr).toContain('interrupted: stopping the worker and saving what was measured');
    const results = readResults(out);
    expect(results.status).toBe('failed');
    expect(results.failure).toMatchObject({ kind: 'interrupted', signal: 'SIGINT' });
    expect(results.records.length).toBeGreaterThanOrEqual(2);
    expect(results.records.map((record) => record.iteration)).toEqual(results.records.map((_, i) => i + 1));
    expect(result.stdout).toContain(`Summary (${results.records.length} iterations)`);
    expect(result.descendants.some((p) => p.cmdline.includes('workerMain.ts'))).toBe(true);
  });

  it('a second Ctrl-C quits at once, leaving nothing behind', async () => {
    const model = await dir.model('twice', { ttftMs: 100 });
    const out = join(dir.dir, 'twice.json');
    const cli = startCli(['run', '--model', model, '--iterations', '50', '--out', out], { timeoutMs: TIMEOUT_MS });
    await waitFor(() => recordsIn(out) >= 1, 40_000, 'one iteration in the results file');
    cli.child.kill('SIGINT');
    await waitFor(() => cli.output().stderr.includes('Ctrl-C again to quit at once'), 10_000, 'the first Ctrl-C to be handled');
    cli.child.kill('SIGINT');
    const result = await cli.done;
    // The first Ctrl-C's report takes a few ms: the second lands during it (quit now) or after the CLI
    // let go of SIGINT (killed by it, as any program). Either way: 130 to the shell, nothing left behind.
    const quitEarly = result.stderr.includes('interrupted again');
    expect(result.exitCode === ExitCode.interrupted || result.signal === 'SIGINT', result.stderr).toBe(true);
    expect(result.survivors).toEqual([]);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(readdirSync(dir.dir).filter((name) => name.endsWith(`.${result.pid}.tmp`))).toEqual([]);
    expect(recordsIn(out)).toBeGreaterThanOrEqual(1);
    if (quitEarly) {
      expect(result.exitCode).toBe(ExitCode.interrupted);
      expect(result.stderr).toContain('leakgate run: interrupted again: quitting without the report');
      expect(result.stdout).not.toContain('Verdict:');
    }
  });

  it('a host killed by SIGKILL while the engine hangs leaves no worker behind', async () => {
    const model = await dir.model('hung', { hang: { step: 'infer', iteration: 2 } });
    const out = join(dir.dir, 'killed.json');
    const cli = startCli(['run', '--model', model, '--iterations', '5', '--out', out], { timeoutMs: TIMEOUT_MS });
    // After the first iteration is saved, the worker loads again and stays in chatllm_user_input for good.
    await waitFor(() => recordsIn(out) >= 1, 40_000, 'one iteration in the results file');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const workers = cli.descendants().filter((p) => p.cmdline.includes('workerMain.ts'));
    expect(workers).toHaveLength(1);
    cli.child.kill('SIGKILL');
    const result = await cli.done;
    expect(result.signal).toBe('SIGKILL');
    expect(result.survivors, result.survivors.map((p) => `${p.pid} ${p.cmdline}`).join('; ')).toEqual([]);
  });
});
