import { audioInput, engineParams } from '../config/engineParams.js';
import type { RunConfig } from '../config/RunConfig.js';
import type { WorkerReply, WorkerReplyOf } from '../protocol/WorkerMessage.js';
import type { EngineStep, PhaseName, ProbeSample } from '../results/ProbeSample.js';
import type { ModelIteration } from '../results/RunResults.js';
import { where } from './describeFailure.js';
import { sampleProbes } from './probes/probes.js';
import { RunAbort } from './RunAbort.js';
import { scoreInference } from './scoreInference.js';
import { toRunAbort } from './toRunAbort.js';
import type { WorkerProcess } from './WorkerProcess.js';

type Model = RunConfig['models'][number];

/** What a cycle does around inference: the scenarios combine these. */
export interface CycleSteps {
  /** Create and start the model (false: it is still loaded from an earlier cycle). */
  load: boolean;
  /** Destroy the model, or restart it (discard history, keep it loaded). */
  unload: 'destroy' | 'restart';
}

/** Timeout for the small requests that run no engine code (samples). */
const SAMPLE_TIMEOUT_MS = 30_000;

/**
 * One model's load -> transcribe -> unload, sampling every probe before load, after load, after
 * inference and after unload. Throws RunAbort naming the model, iteration and step on any failure.
 */
export async function measureCycle(
  worker: WorkerProcess,
  config: RunConfig,
  model: Model,
  iteration: number,
  steps: CycleSteps,
): Promise<ModelIteration> {
  const call = async <T extends WorkerReply>(step: EngineStep, body: Parameters<WorkerProcess['request']>[0], timeoutMs: number): Promise<T> => {
    try {
      const reply = await worker.request<WorkerReply>(body, timeoutMs);
      if (reply.type === 'engineError') {
        throw new RunAbort({
          kind: 'engine-error', modelKey: model.key, iteration, step, signal: null, timeoutMs: null,
          message: `${reply.call} failed (returned ${reply.returnCode}): ${reply.message} — ${where(model.label, iteration, step)}`,
        });
      }
      return reply as T;
    } catch (error) {
      throw toRunAbort(error, model.key, model.label, iteration, step);
    }
  };
  const sample = async (): Promise<ProbeSample> => {
    try {
      const inWorker = await worker.request<WorkerReplyOf<'sample'>>({ type: 'sample' }, SAMPLE_TIMEOUT_MS);
      return await sampleProbes({ pid: worker.pid, modelPath: model.path, inWorker });
    } catch (error) {
      throw toRunAbort(error, model.key, model.label, iteration, null);
    }
  };

  const phases = {} as Record<PhaseName, ProbeSample>;
  phases.beforeLoad = await sample();
  let loadMs = 0;
  if (steps.load) {
    const params = engineParams(model.path, config);
    loadMs = (await call<WorkerReplyOf<'loaded'>>('load', { type: 'load', params, genMaxTokens: config.genMaxTokens }, model.timeoutsMs.load)).loadMs;
  }
  phases.afterLoad = await sample();

  const inferred = await call<WorkerReplyOf<'inferred'>>('infer', { type: 'infer', input: audioInput(config.audioPath) }, model.timeoutsMs.infer);
  if (inferred.returnCode !== 0) {
    throw new RunAbort({
      kind: 'engine-error', modelKey: model.key, iteration, step: 'infer', signal: null, timeoutMs: null,
      message: `chatllm_user_input failed (returned ${inferred.returnCode}) — ${where(model.label, iteration, 'infer')}`,
    });
  }
  phases.afterInfer = await sample();

  let unloadMs: number;
  if (steps.unload === 'destroy') {
    const unloaded = await call<WorkerReplyOf<'unloaded'>>('unload', { type: 'unload', trim: config.trim }, model.timeoutsMs.unload);
    if (unloaded.returnCode !== 0) {
      throw new RunAbort({
        kind: 'engine-error', modelKey: model.key, iteration, step: 'unload', signal: null, timeoutMs: null,
        message: `chatllm_destroy returned ${unloaded.returnCode} — ${where(model.label, iteration, 'unload')}`,
      });
    }
    unloadMs = unloaded.unloadMs;
  } else {
    unloadMs = (await call<WorkerReplyOf<'restarted'>>('unload', { type: 'restart' }, model.timeoutsMs.unload)).restartMs;
  }
  phases.afterUnload = await sample();

  return {
    iteration,
    modelKey: model.key,
    phases,
    unloadStep: steps.unload,
    loadMs,
    inferMs: inferred.inferMs,
    unloadMs,
    ...scoreInference(inferred.chunks, config.truth),
  };
}
