/**
 * Failure paths below the CLI, where no CLI flag reaches: an option the engine does not know, koffi
 * callbacks released on every path, and a run interrupted before its worker exists.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineParams } from '../../src/config/engineParams.js';
import { resolveRunConfig } from '../../src/config/resolveRunConfig.js';
import { findScenario } from '../../src/host/scenarios.js';
import { runScenario } from '../../src/host/runScenario.js';
import { WorkerBugError, WorkerProcess } from '../../src/host/WorkerProcess.js';
import type { WorkerReply } from '../../src/protocol/WorkerMessage.js';
import { refEngineLibraryPath } from '../../src/refmodel/refEnginePath.js';
import { refModelDir } from '../support/refModels.js';
import { KIB } from '../../src/units.js';

const dir = refModelDir();
afterAll(dir.cleanup);
const PARAMS = { threads: 1, contextLength: 512, language: 'Chinese' };
/** koffi keeps at most 8192 registered callbacks (MaxTrampolines); each start registers two. */
const MORE_THAN_KOFFI_ALLOWS = 4_200;

async function startedWorker(): Promise<WorkerProcess> {
  const worker = new WorkerProcess();
  const ready = await worker.request<WorkerReply>({ type: 'init', libraryPath: refEngineLibraryPath(), mmapThresholdBytes: null }, 60_000);
  expect(ready.type).toBe('ready');
  return worker;
}

async function exitOf(worker: WorkerProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  await worker.close();
  return { code: worker.child.exitCode, signal: worker.child.signalCode };
}

describe('the worker', () => {
  it('answers an unknown engine option with engineError and the index, and never destroys the failed object', async () => {
    const model = await dir.model('options');
    const worker = await startedWorker();
    const params = [...engineParams(model, PARAMS), '--no-such-option'];
    const reply = await worker.request<WorkerReply>({ type: 'load', params, genMaxTokens: 16 }, 30_000);
    // The engine returns the 1-based position of the bad option in its argv (argv[0] is a placeholder).
    expect(reply).toMatchObject({ type: 'engineError', call: 'chatllm_start', returnCode: params.length });
    // chatllm_destroy after a failed start segfaults (in chatllm.cpp and in the reference engine):
    // the worker is alive, answers, and exits cleanly.
    const sample = await worker.request<WorkerReply>({ type: 'sample' }, 30_000);
    expect(sample.type).toBe('sample');
    expect(await exitOf(worker)).toEqual({ code: 0, signal: null });
  });

  it('reports its own bug (a request out of protocol) as a worker bug, not as an engine crash', async () => {
    const worker = await startedWorker();
    const reply = worker.request<WorkerReply>({ type: 'infer', input: 'no model is loaded' }, 30_000);
    await expect(reply).rejects.toBeInstanceOf(WorkerBugError);
    await expect(reply).rejects.toThrow('leakgate worker: infer failed: protocol: no model is loaded');
    await worker.waitForExit();
    expect(worker.child.exitCode).toBe(70);
  });

  it('releases the koffi callbacks of every failed start', async () => {
    const model = await dir.model('failing');
    const worker = await startedWorker();
    const params = [...engineParams(model, PARAMS), '--no-such-option'];
    for (let i = 0; i < MORE_THAN_KOFFI_ALLOWS; i += 1) {
      const reply = await worker.request<WorkerReply>({ type: 'load', params, genMaxTokens: 16 }, 30_000);
      expect(reply.type).toBe('engineError');
    }
    expect(await exitOf(worker)).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('releases the koffi callbacks of every load that is unloaded', async () => {
    const model = await dir.model('cycling', { sizeBytes: 64 * KIB, heapBytes: 0, kvBytes: 0 });
    const worker = await startedWorker();
    const params = engineParams(model, PARAMS);
    for (let i = 0; i < MORE_THAN_KOFFI_ALLOWS; i += 1) {
      const loaded = await worker.request<WorkerReply>({ type: 'load', params, genMaxTokens: 16 }, 30_000);
      expect(loaded.type).toBe('loaded');
      const unloaded = await worker.request<WorkerReply>({ type: 'unload', trim: false }, 30_000);
      expect(unloaded).toMatchObject({ type: 'unloaded', returnCode: 0 });
    }
    expect(await exitOf(worker)).toEqual({ code: 0, signal: null });
  }, 120_000);
});

describe('runScenario', () => {
  it('interrupted before it starts: no worker, the run ends as interrupted', async () => {
    const model = await dir.model('early');
    const config = await resolveRunConfig({ models: [model], iterations: 3, out: join(dir.dir, 'early.json') }, process.env, dir.dir);
    const outcome = await runScenario(config, findScenario(config.scenario), { signal: AbortSignal.abort() });
    expect(outcome.records).toEqual([]);
    expect(outcome.failure).toMatchObject({ kind: 'interrupted', iteration: 0, message: 'interrupted before the first iteration' });
  });
});
