/**
 * Latency of the engine's phases per model, informational only (vitest bench / tinybench):
 * `npm run bench`. Engine and models resolve as for `leakgate run` (LIBCHATLLM, LEAKGATE_MODELS;
 * by default the reference engine on two generated models).
 */
import { afterAll, bench, describe } from 'vitest';
import { audioInput, engineParams } from '../../src/config/engineParams.js';
import { resolveRunConfig } from '../../src/config/resolveRunConfig.js';
import type { RunConfig } from '../../src/config/RunConfig.js';
import { WorkerProcess } from '../../src/host/WorkerProcess.js';
import type { WorkerReply } from '../../src/protocol/WorkerMessage.js';

const config: RunConfig = await resolveRunConfig({}, process.env, process.cwd());
/** Fewer samples than tinybench's default: one load of a real model takes seconds. */
const OPTIONS = { iterations: 5, time: 1, warmupIterations: 1, throws: true };

for (const model of config.models) {
  describe(`${model.label} (${model.path})`, () => {
    // Started on first use: vitest bench runs no beforeAll hooks before tinybench's warm-up.
    let worker: Promise<WorkerProcess> | null = null;
    const started = (): Promise<WorkerProcess> =>
      (worker ??= (async () => {
        const process = new WorkerProcess();
        await process.request({ type: 'init', libraryPath: config.libraryPath, mmapThresholdBytes: null }, 60_000);
        return process;
      })());
    const request = async (body: Parameters<WorkerProcess['request']>[0], timeoutMs: number): Promise<WorkerReply> => {
      const reply = await (await started()).request<WorkerReply>(body, timeoutMs);
      if (reply.type === 'engineError' || reply.type === 'libraryError') throw new Error(reply.message);
      return reply;
    };
    const load = () =>
      request({ type: 'load', params: engineParams(model.path, config), genMaxTokens: config.genMaxTokens }, model.timeoutsMs.load);
    const unload = () => request({ type: 'unload', trim: false }, model.timeoutsMs.unload);
    const transcribe = () => request({ type: 'infer', input: audioInput(config.audioPath) }, model.timeoutsMs.infer);

    afterAll(async () => (await worker)?.close());

    bench(
      'load + unload (chatllm_start, chatllm_destroy)',
      async () => {
        await load();
        await unload();
      },
      OPTIONS,
    );

    bench(
      'load + transcribe + unload (one switch)',
      async () => {
        await load();
        await transcribe();
        await unload();
      },
      OPTIONS,
    );
  });
}
