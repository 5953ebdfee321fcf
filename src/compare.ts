/**
 * `leakgate compare`, the whole pipeline: resolve base and head (same models and audio unless the
 * reference engine needs its planted models), check the machine, run the scenario on both engines
 * interleaved (two workers, one switch each in turn), analyse each, compare head with base.
 */
import { join, resolve } from 'node:path';
import { resolveRunConfig } from './config/resolveRunConfig.js';
import type { RunConfig } from './config/RunConfig.js';
import type { RunOptions } from './config/RunOptions.js';
import { stopWhenDecided } from './analysis/stopWhenDecided.js';
import { compareRuns, type CompareOutcome, type Side } from './compare/compareRuns.js';
import { environmentError, usageError } from './errors.js';
import { analyzeResults } from './gate/analyzeResults.js';
import { describeEngine } from './host/describeEngine.js';
import { precheckRun } from './doctor/precheckRun.js';
import { measureRun } from './host/measureRun.js';
import type { Scenario } from './host/scenarios.js';
import { findScenario } from './host/scenarios.js';
import { TurnTaking } from './host/TurnTaking.js';
import { formatPatches } from './report/formatPatches.js';
import type { EngineInfo, RunResults } from './results/RunResults.js';
import type { RunIO } from './run.js';

export type SideName = 'base' | 'head';

export interface CompareOptions extends Omit<RunOptions, 'lib' | 'models' | 'out'> {
  /** libchatllm of the base (e.g. the pinned commit). */
  baseLib: string;
  /** libchatllm of the head (e.g. the bump). */
  headLib: string;
  /** Models both engines run, in switching order. @default as leakgate run resolves them */
  models?: string[];
  /**
   * Per-side models, for the reference engine only: it reads its behaviour (leaks, latency) from the
   * model file, so a planted regression lives in head's model. chatllm.cpp compares on the same files.
   * @default models
   */
  baseModels?: string[];
  headModels?: string[];
  /** Directory for compare-base.json and compare-head.json. @default results/ */
  outDir?: string;
}

export interface CompareRunOutcome {
  base: Side;
  head: Side;
  comparison: CompareOutcome;
}

/** Runs base and head interleaved and compares them. */
export async function compare(options: CompareOptions, io: RunIO): Promise<CompareRunOutcome> {
  const { baseLib, headLib, models, baseModels, headModels, outDir, ...common } = options;
  const out = resolve(io.cwd, outDir ?? 'results');
  const configs = {
    base: await resolveRunConfig({ ...common, lib: baseLib, models: baseModels ?? models, out: join(out, 'compare-base.json') }, io.env, io.cwd),
    head: await resolveRunConfig({ ...common, lib: headLib, models: headModels ?? models, out: join(out, 'compare-head.json') }, io.env, io.cwd),
  };
  if (configs.base.models.length !== configs.head.models.length) {
    throw usageError(`base runs ${configs.base.models.length} models and head ${configs.head.models.length}: --base-model and --head-model must pair up, in order`);
  }
  // Reference models load only in the reference engine (runScenario enforces it): their kind tells the engine.
  const realEngine = [...configs.base.models, ...configs.head.models].some((model) => model.kind !== 'reference');
  const sameModels = configs.base.models.every((m, i) => m.sha256Prefix === configs.head.models[i]!.sha256Prefix);
  if (realEngine && !sameModels && (baseModels || headModels)) {
    throw usageError('--base-model/--head-model are for the reference engine: chatllm.cpp base and head must run the same model files (pass --model)');
  }
  const scenario = findScenario(configs.base.scenario);
  scenario.validate(configs.base.models);
  for (const warning of await precheckRun(configs.base, io.env)) io.log(warning);

  const engines = {
    base: await describeEngine(configs.base.libraryPath, !realEngine, io.env),
    head: await describeEngine(configs.head.libraryPath, !realEngine, io.env),
  };
  for (const name of ['base', 'head'] as const) {
    const e = engines[name];
    io.log(`${name}: ${e.path} (sha256 ${e.sha256.slice(0, 12)}${e.chatllmCommit ? `, chatllm.cpp ${e.chatllmCommit.slice(0, 12)}` : ''}${e.reference ? ', reference engine' : `, patches: ${formatPatches(e.patches)}`})`);
  }
  io.log(`models: ${configs.base.models.map((m, i) => (m.path === configs.head.models[i]!.path ? m.path : `${m.path} | ${configs.head.models[i]!.path}`)).join(', ')}; ${configs.base.stopRule.rule === 'fixed' ? '' : 'until decided, at most '}${configs.base.iterations} iterations, interleaved`);

  const results = await runInterleaved(configs, scenario, engines, io);
  const base = { results: results.base, analysis: analyzeResults(results.base) };
  const head = { results: results.head, analysis: analyzeResults(results.head) };
  for (const [name, side] of [['base', base], ['head', head]] as const) if (side.results.stopping?.reason) io.log(`${name} stopped: ${side.results.stopping.reason}`);
  io.log(`Results saved to ${configs.base.outPath} and ${configs.head.outPath}`);
  return { base, head, comparison: compareRuns(base, head) };
}

/**
 * Both engines in their own worker, one switch each in turn, each measured and journalled as `run`
 * does (measureRun). When one side stops (a crash, a hang), the other runs on alone; when one throws
 * (a library that does not load) or cannot write its results, the other is stopped.
 */
async function runInterleaved(
  configs: Record<SideName, RunConfig>,
  scenario: Scenario,
  engines: Record<SideName, EngineInfo>,
  io: RunIO,
): Promise<Record<SideName, RunResults>> {
  const turns = new TurnTaking<SideName>(['base', 'head']);
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  io.signal?.addEventListener('abort', onAbort);
  const total = configs.base.iterations * configs.base.models.length;
  const done = { base: 0, head: 0 };
  const progress = (): void => io.write(`\r  switches: base ${done.base}/${total}, head ${done.head}/${total}`);

  const side = async (name: SideName): Promise<RunResults> => {
    try {
      const results = await measureRun(configs[name], scenario, engines[name], {
        signal: stop.signal,
        beforeSwitch: () => turns.wait(name),
        // Each side stops when its own verdicts are decided; the other then runs on alone.
        afterIteration: configs[name].stopRule.rule === 'until-decided' ? stopWhenDecided(configs[name].stopRule) : undefined,
        onSwitch(_record, soFar) {
          done[name] = soFar.records.length;
          if (io.tty) progress();
          turns.done(name);
        },
      });
      const { failure } = results;
      // A results file that cannot be written is the machine's problem, not this engine's: the compare stops.
      if (failure?.kind === 'write-failed') throw environmentError(failure.message);
      if (failure && failure.kind !== 'interrupted') io.log(`${name} stopped: ${failure.message}`);
      return results;
    } catch (error) {
      stop.abort();
      throw error;
    } finally {
      turns.retire(name);
    }
  };
  try {
    const settled = await Promise.allSettled([side('base'), side('head')]);
    if (io.tty) io.write('\n');
    const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected) throw rejected.reason;
    const [base, head] = settled.map((s) => (s as PromiseFulfilledResult<RunResults>).value);
    return { base: base!, head: head! };
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
  }
}
