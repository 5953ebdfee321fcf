/**
 * `leakgate run`, the whole pipeline: resolve the configuration, check the machine, run the scenario
 * in a worker process, analyse, compare with the baseline, report. Every step is a module of its own.
 */
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from './config/packageRoot.js';
import { resolveRunConfig } from './config/resolveRunConfig.js';
import type { RunConfig } from './config/RunConfig.js';
import type { RunOptions } from './config/RunOptions.js';
import { analyzeResults, type Analysis } from './gate/analyzeResults.js';
import { baselinePath } from './gate/baselinePath.js';
import { evaluateGate, type GateOutcome } from './gate/evaluateGate.js';
import { readBaseline } from './gate/readBaseline.js';
import { describeEngine } from './host/describeEngine.js';
import { precheckRun } from './host/precheckRun.js';
import { runScenario } from './host/runScenario.js';
import type { Scenario } from './host/scenarios/Scenario.js';
import { findScenario } from './host/scenarios/scenarios.js';
import { formatGate } from './report/formatGate.js';
import { formatVerdict } from './report/formatVerdict.js';
import { ProgressLine } from './report/ProgressLine.js';
import { formatCycle, formatHeader, formatIterationHeading, formatPartialCycle, formatSummary } from './report/seedConsoleReport.js';
import { toResultsJson } from './results/resultsFile.js';
import type { EngineInfo, RunResults } from './results/RunResults.js';
import { startRunResults } from './results/startRunResults.js';
import { writeJsonAtomic } from './results/writeJsonAtomic.js';

export interface RunIO {
  /** Human-readable report lines. */
  log: (text: string) => void;
  /** The run's closing error (a crash, hang or engine error), one line. */
  error: (text: string) => void;
  /** Partial lines (progress). */
  write: (text: string) => void;
  tty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal?: AbortSignal;
}

export interface GateOptions {
  /** Baseline file to compare with. @default baselines/<engine>/<platform>/<scenario>--<models>.json in the leakgate package */
  baseline?: string;
  /** Also write the HTML report and SVG charts into this directory. @default no report */
  report?: string;
}

export interface RunOutcome {
  results: RunResults;
  analysis: Analysis;
  gate: GateOutcome;
  baselineFile: string;
}

/** Runs the benchmark end to end: results (written as they are measured), verdict and gate. */
export async function run(options: RunOptions & GateOptions, io: RunIO): Promise<RunOutcome> {
  const config = await resolveRunConfig(options, io.env, io.cwd);
  const scenario = findScenario(config.scenario);
  scenario.validate(config.models);
  const warnings = await precheckRun(config, io.env);
  const engine = await describeEngine(config.libraryPath, config.referenceEngine, io.env);
  io.log(formatHeader(config, scenario.description, engine));
  for (const warning of warnings) io.log(warning);

  const results = await measure(config, scenario, engine, io);
  const analysis = analyzeResults(results);
  const baselineFile = options.baseline ?? baselinePath(join(PACKAGE_ROOT, 'baselines'), results);
  const gate = evaluateGate(results, analysis, await readBaseline(baselineFile), baselineFile);

  io.log(formatSummary(analysis.summary));
  if (results.records.length > 0) io.log(formatVerdict(analysis, results));
  io.log(formatGate(gate, baselineFile));
  if (results.failure) {
    const label = results.models.find((m) => m.key === results.failure!.modelKey)?.label ?? '?';
    const partial = formatPartialCycle(results.failure, label);
    if (partial) io.log(partial);
    io.error(results.failure.message);
  }
  io.log(`Results saved to ${config.outPath}`);
  if (options.report) {
    // Loaded on demand: Vega takes ~2 s to import, and most runs write no report.
    const { writeReport } = await import('./report/html/writeReport.js');
    const { htmlPath } = await writeReport(results, analysis, resolve(io.cwd, options.report));
    io.log(`Report: ${htmlPath}`);
  }
  return { results, analysis, gate, baselineFile };
}

/** Runs the scenario in a worker, rewriting the results file after every cycle so nothing measured is lost. */
async function measure(config: RunConfig, scenario: Scenario, engine: EngineInfo, io: RunIO): Promise<RunResults> {
  const results = startRunResults(config, engine);
  const labels = new Map(config.models.map((model) => [model.key, model.label]));
  const cyclesPerIteration = scenario.plan(config.models, 1, config.iterations).length;
  const progress = new ProgressLine(cyclesPerIteration * config.iterations, io.write, io.tty);
  const save = (): Promise<void> => writeJsonAtomic(config.outPath, toResultsJson(results));
  // Nothing is written before the first cycle: a run that stops before measuring keeps earlier results.
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
  return results;
}
