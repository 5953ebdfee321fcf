import { environmentError } from '../errors.js';
import type { RunConfig } from '../config/RunConfig.js';
import { modelEngineMismatch } from '../modelfiles/identifyModelFile.js';
import type { WorkerReply } from '../protocol/WorkerMessage.js';
import type { ModelIteration, RunFailure, TrimProbe } from '../results/RunResults.js';
import { checkUnload } from '../analysis/checkUnload.js';
import { findMemoryCgroup, type MemoryCgroup, readMemoryLimit, readOomKillCount } from '../system/memoryCgroup.js';
import { where } from './describeFailure.js';
import { probeTrim } from './probeTrim.js';
import { RunAbort } from './RunAbort.js';
import { measureSwitch } from './measureSwitch.js';
import { toRunAbort } from './toRunAbort.js';
import type { Scenario } from './scenarios.js';
import { WorkerCrashError, WorkerProcess, WorkerTimeoutError } from './WorkerProcess.js';
import { withLedgerPreload } from './ledgerPreload.js';
import type { LedgerInfo } from '../results/RunResults.js';
import { MIB } from '../units.js';

/** Loading the library and answering `init` takes well under this, even for a cold page cache. */
const INIT_TIMEOUT_MS = 60_000;

export interface ScenarioHooks {
  /** Called after each measured switch (write results, print progress). */
  onRecord?(record: ModelIteration): Promise<void> | void;
  /** Called before each switch starts: `leakgate compare` waits there for this engine's turn. */
  beforeSwitch?(): Promise<void> | void;
  /** Called after each iteration's last switch; true ends the run there (complete, e.g. every verdict decided). */
  afterIteration?(iteration: number): Promise<boolean> | boolean;
  /** Aborting kills the worker at once; the run ends as interrupted with what it measured. */
  signal?: AbortSignal;
  /** Set on top of the run's environment in the worker only (heaptrack's LD_PRELOAD must never reach the host). */
  workerEnv?: Record<string, string>;
}

export interface ScenarioOutcome {
  records: ModelIteration[];
  /** What malloc_trim(0) gave back after the last switch (see probeTrim); null when the run did not finish. */
  trimProbe?: TrimProbe | null;
  failure: RunFailure | null;
  referenceEngineVersion: string | null;
  /** The allocation ledger armed in the worker, or null when it ran without one. */
  ledger?: LedgerInfo | null;
}

/**
 * Runs the scenario (found and validated by the caller) in a fresh worker process. Never throws for engine failures: a crash,
 * hang or engine error ends the run with `failure` set and every completed record kept.
 * Throws LeakgateError (exit 4) when the library cannot be loaded at all.
 */
export async function runScenario(config: RunConfig, scenario: Scenario, hooks: ScenarioHooks = {}): Promise<ScenarioOutcome> {
  // Ctrl-C before the worker exists (while resolving or checking): an abort listener added now would never fire.
  if (hooks.signal?.aborted) return { records: [], failure: stopped(hooks.signal, null, 0, null), referenceEngineVersion: null };
  const worker = new WorkerProcess(await withLedgerPreload({ ...config.workerEnv, ...hooks.workerEnv }));
  let ledger: LedgerInfo | null = null;
  const records: ModelIteration[] = [];
  let failure: RunFailure | null = null;
  let current = { modelKey: null as string | null, iteration: 0 };
  let referenceEngineVersion: string | null = null;
  // The OOM killer's count before the run: a worker SIGKILLed while it rose ran out of memory, not the engine.
  const cgroup = findMemoryCgroup(worker.pid > 0 ? worker.pid : 'self');
  const oomKillsBefore = readOomKillCount(cgroup);
  const onAbort = (): void => worker.kill();
  hooks.signal?.addEventListener('abort', onAbort);
  try {
    const ready = await worker
      .request<WorkerReply>(
        { type: 'init', libraryPath: config.libraryPath, mmapThresholdBytes: config.mmapThresholdBytes },
        INIT_TIMEOUT_MS,
      )
      .catch((error: unknown) => Promise.reject(hooks.signal?.aborted ? error : initFailure(error, config.libraryPath)));
    if (ready.type === 'libraryError') {
      throw environmentError(`${ready.message} (point --lib or LIBCHATLLM at a libchatllm.so built by npm run native:build)`);
    }
    referenceEngineVersion = ready.type === 'ready' ? ready.referenceEngineVersion : null;
    ledger = ready.type === 'ready' ? (ready.ledger ?? null) : null;
    assertModelsFitEngine(config, referenceEngineVersion !== null);
    let lastIteration = config.iterations;
    for (let iteration = 1; iteration <= config.iterations; iteration += 1) {
      for (const { model, steps } of scenario.plan(config.models, iteration, config.iterations)) {
        await hooks.beforeSwitch?.();
        current = { modelKey: model.key, iteration };
        const record = await measureSwitch(worker, config, model, iteration, steps);
        records.push(record);
        await hooks.onRecord?.(record);
        // --fail-fast: stop at the first unload that leaves something behind; by default the counts are
        // judged as series after the run (a one-time start-up thread is not a leak, a steady fd rise is).
        const findings = config.failFast && steps.unload === 'destroy' ? checkUnload(record) : [];
        if (findings.length > 0) {
          throw new RunAbort({
            kind: 'unload-check',
            modelKey: model.key,
            iteration,
            step: 'unload',
            signal: null,
            timeoutMs: null,
            message:
              `unload check failed: ${findings.map((finding) => finding.message).join('; ')} — ` +
              `${where(model.label, iteration, 'unload')}`,
          });
        }
      }
      if (await hooks.afterIteration?.(iteration)) {
        lastIteration = iteration;
        break;
      }
    }
    for (const model of scenario.leftLoaded(config.models)) {
      current = { modelKey: model.key, iteration: lastIteration };
      await worker
        .request<WorkerReply>({ type: 'unload', trim: false }, model.timeoutsMs.unload)
        .catch((error: unknown) => Promise.reject(toRunAbort(error, model.key, model.label, lastIteration, 'unload')));
    }
    const trimProbe = await probeTrim(worker, config.models[0]!.path);
    return { records, failure: null, referenceEngineVersion, trimProbe, ledger };
  } catch (error) {
    if (hooks.signal?.aborted) {
      // Killing the worker failed the switch in progress: its step and what it sampled say where the run stopped.
      const cut = error instanceof RunAbort ? error.failure : null;
      failure = stopped(hooks.signal, current.modelKey, current.iteration, cut);
    } else if (error instanceof RunAbort) {
      failure = killedFromOutside(error.failure, cgroup, oomKillsBefore, readOomKillCount(cgroup)) ?? error.failure;
    } else {
      throw error;
    }
    return { records, failure, referenceEngineVersion };
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
    await worker.close();
  }
}

/**
 * The failure of a run stopped by the user or the system: Ctrl-C (the signal's reason SIGINT, or none)
 * is `interrupted`; SIGTERM and SIGHUP are `terminated`. `cut` is the switch the stop cut short, if any.
 */
function stopped(signal: AbortSignal, modelKey: string | null, iteration: number, cut: RunFailure | null): RunFailure {
  const name = typeof signal.reason === 'string' && signal.reason.startsWith('SIG') ? signal.reason : 'SIGINT';
  const kind = name === 'SIGINT' ? 'interrupted' : 'terminated';
  const step = cut?.step ?? null;
  const during = iteration === 0 ? 'before the first iteration' : `during iteration ${iteration}${step ? `, ${step}` : ''}`;
  return {
    kind,
    modelKey,
    iteration,
    step,
    signal: name,
    timeoutMs: null,
    message:
      kind === 'interrupted' ? `interrupted ${during}` : `terminated by ${name} ${during}; the results so far are kept, marked terminated`,
    ...(cut?.partialCycle ? { partialCycle: cut.partialCycle } : {}),
  };
}

/**
 * A worker killed by SIGKILL was killed from outside: leakgate's own SIGKILLs end a hang or a stop, never
 * a crash, and an engine does not raise SIGKILL. By the OOM killer when the worker's memory cgroup
 * counted the kill (`out-of-memory`); else `killed`, saying only what is known: cgroup v2 counts every
 * OOM kill of its processes (memory.events), so no rise there rules it out; v1 counts only its own
 * limit's, and without a readable count the OOM killer stays the likely cause. null for any other failure.
 */
function killedFromOutside(
  failure: RunFailure,
  cgroup: MemoryCgroup | null,
  killsBefore: number | null,
  killsAfter: number | null,
): RunFailure | null {
  if (failure.kind !== 'crash' || failure.signal !== 'SIGKILL') return null;
  const whereText = failure.message.split(' — ').slice(1).join(' — ');
  const at = whereText ? ` — ${whereText}` : '';
  const counted = killsBefore !== null && killsAfter !== null;
  if (counted && killsAfter > killsBefore) {
    const limit = readMemoryLimit(cgroup);
    const cap = limit ? `the memory cgroup's limit is ${Math.round(limit.limitBytes / MIB)} MiB` : 'the machine ran out of memory';
    return {
      ...failure,
      kind: 'out-of-memory',
      message:
        `out of memory: the kernel's OOM killer killed the worker (SIGKILL)${at} ` +
        `(${cap}; raise it, free memory, or run smaller models)`,
    };
  }
  const message =
    counted && cgroup?.version === 2
      ? `the worker was killed by SIGKILL, not counted as an OOM kill by its memory cgroup (memory.events)${at} ` +
        `(another process likely killed it, e.g. a CI step's timeout or a kill -9: find it, then rerun)`
      : `the worker was killed by SIGKILL: the OOM killer if memory ran out (no memory cgroup counted an OOM kill)${at} ` +
        `(free memory or run smaller models, then rerun; dmesg lists the kernel's OOM kills)`;
  return { ...failure, kind: 'killed', message };
}

/** A library whose loading kills or stalls the worker is not loadable: an environment problem, not a leakgate bug. */
function initFailure(error: unknown, libraryPath: string): unknown {
  const fix = '(check it with leakgate doctor, or point --lib at a libchatllm.so built by npm run native:build)';
  if (error instanceof WorkerCrashError) {
    const tail = error.stderrTail.at(-1);
    return environmentError(
      `loading ${libraryPath} killed the worker (${error.signal ?? `exit ${error.exitCode}`})${tail ? ` [stderr: ${tail}]` : ''} ${fix}`,
    );
  }
  if (error instanceof WorkerTimeoutError) {
    return environmentError(`loading ${libraryPath} did not finish within ${error.timeoutMs} ms ${fix}`);
  }
  return error;
}

/** The worker's check of the engine it loaded against the models (modelEngineMismatch: the configuration's check, again). */
function assertModelsFitEngine(config: RunConfig, referenceEngine: boolean): void {
  for (const model of config.models) {
    const mismatch = modelEngineMismatch(model, config.libraryPath, referenceEngine);
    if (mismatch) throw mismatch;
  }
}
