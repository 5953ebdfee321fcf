/**
 * `leakgate compare`, the whole pipeline: resolve base and head (same models and audio unless the
 * reference engine needs its planted models), check the machine, run the scenario on both engines
 * interleaved (two workers, one switch each in turn), analyse each, compare head with base, report.
 */
import { join, resolve } from 'node:path';
import type { RunConfig } from '../config/RunConfig.js';
import type { RunOptions } from '../config/RunOptions.js';
import { stopWhenDecided } from '../analysis/stopWhenDecided.js';
import { acceptedKnownFailure } from '../compare/acceptedKnownFailure.js';
import { resolveBaselinesDir } from '../gate/baselinePath.js';
import { compareRuns, type CompareOutcome, type Side } from '../compare/compareRuns.js';
import { environmentError, usageError } from '../errors.js';
import { analyzeResults } from '../analysis/analyzeResults.js';
import { describeEngine } from '../host/describeEngine.js';
import { precheckRun } from '../doctor/doctor.js';
import { measureRun } from '../host/measureRun.js';
import type { Scenario } from '../host/scenarios.js';
import { TurnTaking } from '../host/TurnTaking.js';
import type { LeakgateIO } from '../LeakgateIO.js';
import { appendJobSummary } from '../report/appendJobSummary.js';
import { compareJobSummary, formatCompare } from '../report/formatCompare.js';
import { formatPatches } from '../report/formatPatches.js';
import { createReporters, type Reporter } from '../report/reporters.js';
import type { EngineInfo, RunResults } from '../results/RunResults.js';
import { resolveRun } from './resolveRun.js';
import { nothingToSave } from '../results/ResultsJournal.js';

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
  /** Print the comparison as JSON on stdout. @default false */
  json?: boolean;
}

export interface CompareRunOutcome {
  base: Side;
  head: Side;
  comparison: CompareOutcome;
}

/** Runs base and head interleaved, compares them and reports the comparison (console, JSON, job summary). */
export async function compare(options: CompareOptions, io: LeakgateIO): Promise<CompareRunOutcome> {
  const { baseLib, headLib, models, baseModels, headModels, outDir, json, ...common } = options;
  const out = resolve(io.cwd, outDir ?? 'results');
  const base = await resolveRun({ ...common, lib: baseLib, models: baseModels ?? models, out: join(out, 'compare-base.json') }, io);
  const head = await resolveRun({ ...common, lib: headLib, models: headModels ?? models, out: join(out, 'compare-head.json') }, io);
  const configs = { base: base.config, head: head.config };
  if (configs.base.models.length !== configs.head.models.length) {
    throw usageError(
      `base runs ${configs.base.models.length} models and head ${configs.head.models.length}: --base-model and ` +
        `--head-model must pair up, in order`,
    );
  }
  // Reference models load only in the reference engine (runScenario enforces it): their kind tells the engine.
  const realEngine = [...configs.base.models, ...configs.head.models].some((model) => model.kind !== 'reference');
  const sameModels = configs.base.models.every((m, i) => m.sha256Prefix === configs.head.models[i]!.sha256Prefix);
  if (realEngine && !sameModels && (baseModels || headModels)) {
    throw usageError(
      '--base-model/--head-model are for the reference engine: chatllm.cpp base and head must run the same model files (pass --model)',
    );
  }
  const { scenario } = base;
  const warnings = await precheckRun(configs.base, io.env);
  for (const warning of warnings) io.log(warning);

  const engines = {
    base: await describeEngine(configs.base.libraryPath, !realEngine, io.env),
    head: await describeEngine(configs.head.libraryPath, !realEngine, io.env),
  };
  for (const name of ['base', 'head'] as const) {
    const e = engines[name];
    io.log(
      `${name}: ${e.path} (sha256 ${e.sha256.slice(0, 12)}${e.chatllmCommit ? `, chatllm.cpp ${e.chatllmCommit.slice(0, 12)}` : ''}` +
        `${e.reference ? ', reference engine' : `, patches: ${formatPatches(e.patches)}`})`,
    );
  }
  const modelPairs = configs.base.models.map((m, i) =>
    m.path === configs.head.models[i]!.path ? m.path : `${m.path} | ${configs.head.models[i]!.path}`,
  );
  io.log(
    `models: ${modelPairs.join(', ')}; ${configs.base.stopRule.rule === 'fixed' ? '' : 'until decided, at most '}` +
      `${configs.base.iterations} iterations, interleaved`,
  );

  // The run's console reporter draws the progress line of both sides (as run's: redrawn on a terminal, a line now and then in CI logs).
  const reporters = createReporters(['console'], io, { verbose: false, reportDir: null });
  const switchesPerIteration = 2 * scenario.plan(configs.base.models, 1, configs.base.iterations).length;
  for (const reporter of reporters) {
    reporter.onStart?.({
      config: configs.base,
      scenarioDescription: scenario.description,
      switchesPerIteration,
      engine: engines.base,
      warnings: [],
      header: false,
    });
  }
  const results = await runInterleaved(configs, scenario, engines, reporters, io);
  const sides = {
    base: { results: results.base, analysis: analyzeResults(results.base) },
    head: { results: results.head, analysis: analyzeResults(results.head) },
  };
  for (const name of ['base', 'head'] as const) {
    const reason = sides[name].results.stopping?.reason;
    if (reason) io.log(`${name} stopped: ${reason}`);
  }
  const saved = (['base', 'head'] as const).filter((name) => !nothingToSave(sides[name].results)).map((name) => configs[name].outPath);
  io.log(saved.length > 0 ? `Results saved to ${saved.join(' and ')}` : 'Nothing measured, so nothing saved');
  // Both sides failing alike passes only as the baseline's accepted known failure.
  const comparison = compareRuns(sides.base, sides.head, {
    acceptedFailure: await acceptedKnownFailure(results.base, resolveBaselinesDir(io.cwd)),
  });
  io.write(formatCompare(comparison));
  if (json) io.out(`${JSON.stringify(comparison, null, 2)}\n`);
  await appendJobSummary(io.env, io.cwd, compareJobSummary(comparison));
  return { ...sides, comparison };
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
  reporters: readonly Reporter[],
  io: LeakgateIO,
): Promise<Record<SideName, RunResults>> {
  const turns = new TurnTaking<SideName>(['base', 'head']);
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  io.signal?.addEventListener('abort', onAbort);
  const done = { base: 0, head: 0 };

  const side = async (name: SideName): Promise<RunResults> => {
    try {
      const results = await measureRun(configs[name], scenario, engines[name], {
        signal: stop.signal,
        beforeSwitch: () => turns.wait(name),
        // Each side stops when its own verdicts are decided; the other then runs on alone.
        afterIteration: configs[name].stopRule.rule === 'until-decided' ? stopWhenDecided(configs[name].stopRule) : undefined,
        onSwitch(record, soFar) {
          done[name] = soFar.records.length;
          for (const reporter of reporters) reporter.onSwitch?.(record, soFar, done.base + done.head);
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
    for (const reporter of reporters) reporter.onMeasured?.();
    const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected) throw rejected.reason;
    const [base, head] = settled.map((s) => (s as PromiseFulfilledResult<RunResults>).value);
    return { base: base!, head: head! };
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
  }
}
