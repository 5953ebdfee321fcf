/**
 * `leakgate run`, the whole pipeline: resolve the configuration, check the machine, run the scenario
 * in a worker process, analyse, compare with the baseline, report. Every step is a module of its own.
 */
import { engineParams } from './config/engineParams.js';
import { resolveRunConfig } from './config/resolveRunConfig.js';
import type { RunOptions } from './config/RunOptions.js';
import { describeEngine } from './host/describeEngine.js';
import { runScenario } from './host/runScenario.js';
import { findScenario } from './host/scenarios/scenarios.js';
import { formatCycle, formatHeader, formatIterationHeading, formatPartialCycle, formatSummary } from './report/seedConsoleReport.js';
import { ProgressLine } from './report/ProgressLine.js';
import { toResultsJson } from './results/resultsFile.js';
import type { RunResults } from './results/RunResults.js';
import { summarizeRun } from './results/summarizeRun.js';
import { writeJsonAtomic } from './results/writeJsonAtomic.js';
import { precheckRun } from './host/precheckRun.js';
import { LEAKGATE_VERSION } from './version.js';

export interface RunIO {
  /** Human-readable report lines. */
  log: (text: string) => void;
  /** Partial lines (progress). */
  write: (text: string) => void;
  tty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal?: AbortSignal;
}

/** Runs the benchmark end to end and returns the results (also written to config.outPath as they are measured). */
export async function run(options: RunOptions, io: RunIO): Promise<RunResults> {
  const config = await resolveRunConfig(options, io.env, io.cwd);
  const scenario = findScenario(config.scenario);
  scenario.validate(config.models);
  await precheckRun(config, io.env);
  io.log(formatHeader(config, scenario.description));

  const results: RunResults = {
    leakgateVersion: LEAKGATE_VERSION,
    scenario: config.scenario,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
    failure: null,
    iterationsPlanned: config.iterations,
    config: {
      threads: config.threads,
      contextLength: config.contextLength,
      language: config.language,
      audioPath: config.audioPath,
      truth: config.truth,
      trim: config.trim,
      engineParams: engineParams('MODEL', config),
    },
    engine: await describeEngine(config.libraryPath, config.referenceEngine, io.env),
    models: config.models.map(({ timeoutsMs: _timeouts, ...model }) => model),
    records: [],
  };
  const labels = new Map(config.models.map((model) => [model.key, model.label]));
  const cyclesPerIteration = scenario.plan(config.models, 1, config.iterations).length;
  const progress = new ProgressLine(cyclesPerIteration * config.iterations, io.write, io.tty);
  const save = (): Promise<void> => writeJsonAtomic(config.outPath, toResultsJson(results));
  await save(); // fail on an unwritable path before measuring anything

  const outcome = await runScenario(config, {
    signal: io.signal,
    async onRecord(record) {
      results.records.push(record);
      if (config.verbose) {
        if (record.modelKey === config.models[0]!.key) io.log(formatIterationHeading(record.iteration, config.iterations));
        io.log(formatCycle(record, labels.get(record.modelKey)!));
      } else {
        progress.update(record, labels.get(record.modelKey)!, results.records.length, config.iterations);
      }
      await save();
    },
  });
  if (!config.verbose) progress.finish();
  if (outcome.referenceEngineVersion !== null) results.engine.reference = true;
  results.status = outcome.failure ? 'failed' : 'complete';
  results.failure = outcome.failure;
  results.finishedAt = new Date().toISOString();
  await save();

  io.log(formatSummary(summarizeRun(results)));
  if (outcome.failure) {
    const partial = formatPartialCycle(outcome.failure, labels.get(outcome.failure.modelKey ?? '') ?? '?');
    if (partial) io.log(partial);
    io.log(`error: ${outcome.failure.message}`);
  }
  io.log(`Results saved to ${config.outPath}`);
  return results;
}
