import { environmentError, usageError } from '../errors.js';
import type { RunConfig } from '../config/RunConfig.js';
import type { WorkerReply } from '../protocol/WorkerMessage.js';
import type { ModelIteration, RunFailure } from '../results/RunResults.js';
import { checkUnload } from '../analysis/checkUnload.js';
import { where } from './describeFailure.js';
import { RunAbort } from './RunAbort.js';
import { measureCycle } from './measureCycle.js';
import { toRunAbort } from './toRunAbort.js';
import { findScenario } from './scenarios/scenarios.js';
import { WorkerCrashError, WorkerProcess, WorkerTimeoutError } from './WorkerProcess.js';

/** Loading the library and answering `init` takes well under this, even for a cold page cache. */
const INIT_TIMEOUT_MS = 60_000;

export interface ScenarioHooks {
  /** Called after each measured cycle (write results, print progress). */
  onRecord?(record: ModelIteration): Promise<void> | void;
  /** Called before each cycle starts: `leakgate compare` waits there for this engine's turn. */
  beforeCycle?(): Promise<void> | void;
  /**
   * Stop at the first failed unload check. @default true. `leakgate compare` keeps going: an fd left
   * behind on every load must not hide the heap leak beside it, and both engines' findings are compared.
   */
  stopOnUnloadFindings?: boolean;
  /** Aborting kills the worker at once; the run ends as interrupted with what it measured. */
  signal?: AbortSignal;
}

export interface ScenarioOutcome {
  records: ModelIteration[];
  failure: RunFailure | null;
  referenceEngineVersion: string | null;
}

/**
 * Runs the configured scenario in a fresh worker process. Never throws for engine failures: a crash,
 * hang or engine error ends the run with `failure` set and every completed record kept.
 * Throws LeakgateError (exit 4) when the library cannot be loaded at all.
 */
export async function runScenario(config: RunConfig, hooks: ScenarioHooks = {}): Promise<ScenarioOutcome> {
  const scenario = findScenario(config.scenario);
  scenario.validate(config.models);
  // Ctrl-C before the worker exists (while resolving or checking): an abort listener added now would never fire.
  if (hooks.signal?.aborted) return { records: [], failure: interrupted(null, 0), referenceEngineVersion: null };
  const worker = new WorkerProcess();
  const records: ModelIteration[] = [];
  let failure: RunFailure | null = null;
  let current = { modelKey: null as string | null, iteration: 0 };
  let referenceEngineVersion: string | null = null;
  const onAbort = (): void => worker.kill();
  hooks.signal?.addEventListener('abort', onAbort);
  try {
    const ready = await worker
      .request<WorkerReply>({ type: 'init', libraryPath: config.libraryPath }, INIT_TIMEOUT_MS)
      .catch((error: unknown) => Promise.reject(hooks.signal?.aborted ? error : initFailure(error, config.libraryPath)));
    if (ready.type === 'libraryError') {
      throw environmentError(`${ready.message} (point --lib or LIBCHATLLM at a libchatllm.so built by npm run native:build)`);
    }
    referenceEngineVersion = ready.type === 'ready' ? ready.referenceEngineVersion : null;
    assertModelsFitEngine(config, referenceEngineVersion !== null);
    for (let iteration = 1; iteration <= config.iterations; iteration += 1) {
      for (const { model, steps } of scenario.plan(config.models, iteration, config.iterations)) {
        await hooks.beforeCycle?.();
        current = { modelKey: model.key, iteration };
        const record = await measureCycle(worker, config, model, iteration, steps);
        records.push(record);
        await hooks.onRecord?.(record);
        // Deterministic unload checks fail at once: a mapping, fd or thread left behind is never noise.
        const findings = steps.unload === 'destroy' && hooks.stopOnUnloadFindings !== false ? checkUnload(record) : [];
        if (findings.length > 0) {
          throw new RunAbort({
            kind: 'unload-check', modelKey: model.key, iteration, step: 'unload', signal: null, timeoutMs: null,
            message: `unload check failed: ${findings.map((finding) => finding.message).join('; ')} — ${where(model.label, iteration, 'unload')}`,
          });
        }
      }
    }
    for (const model of scenario.leftLoaded(config.models)) {
      current = { modelKey: model.key, iteration: config.iterations };
      await worker
        .request<WorkerReply>({ type: 'unload', trim: false }, model.timeoutsMs.unload)
        .catch((error: unknown) => Promise.reject(toRunAbort(error, model.key, model.label, config.iterations, 'unload')));
    }
    return { records, failure: null, referenceEngineVersion };
  } catch (error) {
    if (hooks.signal?.aborted) {
      failure = interrupted(current.modelKey, current.iteration);
    } else if (error instanceof RunAbort) {
      failure = error.failure;
    } else {
      throw error;
    }
    return { records, failure, referenceEngineVersion };
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
    await worker.close();
  }
}

function interrupted(modelKey: string | null, iteration: number): RunFailure {
  return {
    kind: 'interrupted', modelKey, iteration, step: null, signal: 'SIGINT', timeoutMs: null,
    message: iteration === 0 ? 'interrupted before the first iteration' : `interrupted during iteration ${iteration}`,
  };
}

/** A library whose loading kills or stalls the worker is not loadable: an environment problem, not a leakgate bug. */
function initFailure(error: unknown, libraryPath: string): unknown {
  const fix = '(check it with leakgate doctor, or point --lib at a libchatllm.so built by npm run native:build)';
  if (error instanceof WorkerCrashError) {
    const tail = error.stderrTail.at(-1);
    return environmentError(`loading ${libraryPath} killed the worker (${error.signal ?? `exit ${error.exitCode}`})${tail ? ` [stderr: ${tail}]` : ''} ${fix}`);
  }
  if (error instanceof WorkerTimeoutError) {
    return environmentError(`loading ${libraryPath} did not finish within ${error.timeoutMs} ms ${fix}`);
  }
  return error;
}

/**
 * Each engine loads only its own kind of model: the reference engine its reference models, chatllm.cpp
 * real ones. A mismatch would fail at the first load as an engine error (exit 3); it is a configuration error.
 */
function assertModelsFitEngine(config: RunConfig, referenceEngine: boolean): void {
  for (const model of config.models) {
    if (referenceEngine && model.kind !== 'reference') {
      throw usageError(
        `${model.path} is a chatllm.cpp model, but ${config.libraryPath} is leakgate's reference engine, which loads only reference models (pass --lib PATH or set LIBCHATLLM to a real libchatllm.so, or make a model with leakgate make-ref-model)`,
      );
    }
    if (!referenceEngine && model.kind === 'reference') {
      throw usageError(
        `${model.path} is a leakgate reference model, which only the reference engine loads, but the engine is ${config.libraryPath} (drop --lib and LIBCHATLLM to use the reference engine, or pass a chatllm.cpp model)`,
      );
    }
  }
}
