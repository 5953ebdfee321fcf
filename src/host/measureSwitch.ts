import { audioInput, engineParams } from '../config/engineParams.js';
import type { RunConfig } from '../config/RunConfig.js';
import type { WorkerReply, WorkerReplyOf } from '../protocol/WorkerMessage.js';
import type { EngineStep, PhaseName, ProbeSample } from '../results/ProbeSample.js';
import type { ModelIteration, RunFailure } from '../results/RunResults.js';
import { where } from './describeFailure.js';
import { leftBehind, snapshotHandles, type HandleSnapshot } from './handleSnapshot.js';
import { sampleProbes } from './probes.js';
import { RunAbort } from './RunAbort.js';
import { scoreInference } from './scoreInference.js';
import { toRunAbort } from './toRunAbort.js';
import type { WorkerProcess } from './WorkerProcess.js';
import { EngineSiteNames } from './symbolizeEngineSites.js';

type Model = RunConfig['models'][number];

/** What a switch does around inference: the scenarios combine these. */
export interface SwitchSteps {
  /** Create and start the model (false: it is still loaded from an earlier switch). */
  load: boolean;
  /** Destroy the model, or restart it (discard history, keep it loaded). */
  unload: 'destroy' | 'restart';
}

/** One cache of site names per worker: each site is symbolized once per run. */
const SITE_NAMES = new WeakMap<WorkerProcess, EngineSiteNames>();
function siteNames(worker: WorkerProcess): EngineSiteNames {
  let names = SITE_NAMES.get(worker);
  if (!names) SITE_NAMES.set(worker, (names = new EngineSiteNames()));
  return names;
}

/** Timeout for the small requests that run no engine code (samples). */
const SAMPLE_TIMEOUT_MS = 30_000;

/**
 * One model's load -> transcribe -> unload, sampling every probe before load, after load, after
 * inference and after unload. Throws RunAbort naming the model, iteration and step on any failure;
 * the abort carries the phases this switch sampled before it failed.
 */
export async function measureSwitch(
  worker: WorkerProcess,
  config: RunConfig,
  model: Model,
  iteration: number,
  steps: SwitchSteps,
): Promise<ModelIteration> {
  const phases: Partial<Record<PhaseName, ProbeSample>> = {};
  let rawOutput: string | null = null;

  const engineFailure = (step: EngineStep, message: string): RunAbort =>
    new RunAbort({
      kind: 'engine-error',
      modelKey: model.key,
      iteration,
      step,
      signal: null,
      timeoutMs: null,
      message: `${message} — ${where(model.label, iteration, step)}`,
    } satisfies RunFailure);

  const call = async <T extends WorkerReply>(
    step: EngineStep,
    body: Parameters<WorkerProcess['request']>[0],
    timeoutMs: number,
  ): Promise<T> => {
    let reply: WorkerReply;
    try {
      reply = await worker.request<WorkerReply>(body, timeoutMs);
    } catch (error) {
      throw toRunAbort(error, model.key, model.label, iteration, step);
    }
    if (reply.type === 'engineError') throw engineFailure(step, `${reply.call} failed (returned ${reply.returnCode}): ${reply.message}`);
    return reply as T;
  };

  const handles: Partial<Record<PhaseName, HandleSnapshot>> = {};
  const sample = async (phase: PhaseName): Promise<ProbeSample> => {
    try {
      // After unload: the engine's allocation sites that changed since the last unload, named.
      const inWorker = await worker.request<WorkerReplyOf<'sample'>>({ type: 'sample', sites: phase === 'afterUnload' }, SAMPLE_TIMEOUT_MS);
      if (inWorker.engineSites) siteNames(worker).name(inWorker.engineSites);
      phases[phase] = await sampleProbes({ pid: worker.pid, modelPath: model.path, inWorker, phase });
      // Names of what an unload leaves behind: fd targets and threads, around the switch only.
      if (phase === 'beforeLoad' || phase === 'afterUnload') handles[phase] = await snapshotHandles(worker.pid);
      return phases[phase];
    } catch (error) {
      throw toRunAbort(error, model.key, model.label, iteration, null);
    }
  };

  try {
    await sample('beforeLoad');
    let loadMs = 0;
    if (steps.load) {
      const params = engineParams(model.path, config);
      loadMs = (
        await call<WorkerReplyOf<'loaded'>>('load', { type: 'load', params, genMaxTokens: config.genMaxTokens }, model.timeoutsMs.load)
      ).loadMs;
    }
    await sample('afterLoad');

    const inferred = await call<WorkerReplyOf<'inferred'>>(
      'infer',
      { type: 'infer', input: audioInput(config.audioPath) },
      model.timeoutsMs.infer,
    );
    rawOutput = inferred.chunks.map((chunk) => chunk.text).join('');
    if (inferred.returnCode !== 0) throw engineFailure('infer', `chatllm_user_input failed (returned ${inferred.returnCode})`);
    await sample('afterInfer');

    let unloadMs: number;
    if (steps.unload === 'destroy') {
      const unloaded = await call<WorkerReplyOf<'unloaded'>>('unload', { type: 'unload', trim: config.trim }, model.timeoutsMs.unload);
      if (unloaded.returnCode !== 0) throw engineFailure('unload', `chatllm_destroy returned ${unloaded.returnCode}`);
      unloadMs = unloaded.unloadMs;
    } else {
      unloadMs = (await call<WorkerReplyOf<'restarted'>>('unload', { type: 'restart' }, model.timeoutsMs.unload)).restartMs;
    }
    await sample('afterUnload');

    return {
      iteration,
      modelKey: model.key,
      phases: phases as Record<PhaseName, ProbeSample>,
      unloadStep: steps.unload,
      leftBehind: leftBehind(handles.beforeLoad!, handles.afterUnload!),
      loadMs,
      inferMs: inferred.inferMs,
      unloadMs,
      // A twin transcribes random text: scoring it against the truth would be noise (WER n/a).
      ...scoreInference(inferred.chunks, model.kind === 'twin' ? null : config.truth),
    };
  } catch (error) {
    // No measurement is lost: the failure keeps what this switch sampled before it failed.
    if (error instanceof RunAbort) error.failure.partialCycle = { phases: { ...phases }, rawOutput };
    throw error;
  }
}
