/**
 * `leakgate run`, the whole pipeline: resolve the configuration, check the machine, run the scenario
 * in a worker process, analyse, compare with the baseline, report. Every step is a module of its own.
 */
import { join, resolve } from 'node:path';
import { attribute } from './attribute.js';
import { resolveRunConfig } from './config/resolveRunConfig.js';
import type { RunConfig } from './config/RunConfig.js';
import type { RunOptions } from './config/RunOptions.js';
import { stopWhenDecided } from './analysis/stopWhenDecided.js';
import { precheckRun } from './doctor/precheckRun.js';
import { analyzeResults, type Analysis } from './gate/analyzeResults.js';
import { baselinePath } from './gate/baselinePath.js';
import { evaluateGate, type GateOutcome } from './gate/evaluateGate.js';
import { readBaseline } from './gate/readBaseline.js';
import { describeEngine } from './host/describeEngine.js';
import { measureRun } from './host/measureRun.js';
import { findScenario } from './host/scenarios.js';
import { PACKAGE_ROOT } from './leakgatePackage.js';
import { checkReportDir } from './report/checkReportDir.js';
import { formatAttribution, leakingModelKeys } from './report/formatAttribution.js';
import { createReporters, reportEnd, type ReporterName } from './report/reporters.js';
import type { Attribution } from './results/Attribution.js';
import { lockResultsFile } from './results/lockResultsFile.js';
import { toResultsJson } from './results/resultsFile.js';
import { type ModelIteration, type RunResults, isFailFastStop } from './results/RunResults.js';
import { writeJsonAtomic } from './results/writeJsonAtomic.js';

export interface RunIO {
  /** Human-readable report lines. */
  log: (text: string) => void;
  /** The run's closing error (a crash, hang or engine error), one line. */
  error: (text: string) => void;
  /** Partial lines (progress). */
  write: (text: string) => void;
  /** Machine-readable output (the `json` reporter's). @default log */
  out?: (text: string) => void;
  tty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal?: AbortSignal;
}

export interface GateOptions {
  /** Baseline file to compare with. @default baselines/<engine>/<platform>/<scenario>--<models>.json in the leakgate package */
  baseline?: string;
  /**
   * Compare with that baseline. `baseline update` measures the file it will replace, so it must not
   * read it first (a corrupt or other-model baseline is exactly what it is there to fix). @default true
   */
  compareWithBaseline?: boolean;
  /** Also write the HTML report and SVG charts into this directory. @default no report */
  report?: string;
  /** The reporters, by name (see REPORTERS). @default console and html (html writes only with `report`) */
  reporters?: ReporterName[];
  /** After a leak verdict, run `leakgate attribute` on the same engine and models and report the top sites. @default false */
  attribute?: boolean;
}

export interface RunOutcome {
  results: RunResults;
  analysis: Analysis;
  gate: GateOutcome;
  baselineFile: string;
}

/** Runs the benchmark end to end: results (saved as they are measured), analysis, gate, reports. */
export async function run(options: RunOptions & GateOptions, io: RunIO): Promise<RunOutcome> {
  const config = await resolveRunConfig(options, io.env, io.cwd);
  const scenario = findScenario(config.scenario);
  scenario.validate(config.models);
  const gating = options.compareWithBaseline !== false;
  // A baseline or report folder given by hand is checked now, not after an hour of measuring.
  const explicitBaseline = options.baseline === undefined ? null : resolve(io.cwd, options.baseline);
  if (gating && explicitBaseline !== null) await readBaseline(explicitBaseline, true);
  const reportDir = options.report === undefined ? null : resolve(io.cwd, options.report);
  if (reportDir) await checkReportDir(reportDir);
  const warnings = await precheckRun(config, io.env);
  const engine = await describeEngine(config.libraryPath, config.referenceEngine, io.env);
  const reporters = createReporters(options.reporters ?? ['console', 'html'], { ...io, out: io.out ?? io.log }, { verbose: config.verbose, reportDir });
  const switchesPerIteration = scenario.plan(config.models, 1, config.iterations).length;
  for (const reporter of reporters) reporter.onStart?.({ config, scenarioDescription: scenario.description, switchesPerIteration, engine, warnings });

  // One run per results file: a second would replace this one's measurements with its own.
  const lock = await lockResultsFile(config.outPath);
  try {
    const onSwitch = (record: ModelIteration, results: RunResults): void => reporters.forEach((reporter) => reporter.onSwitch?.(record, results));
    const afterIteration = config.stopRule.rule === 'until-decided' ? stopWhenDecided(config.stopRule) : undefined;
    const results = await measureRun(config, scenario, engine, { signal: io.signal, onSwitch, afterIteration });
    const analysis = analyzeResults(results);
    // A leak, or a --fail-fast stop on an fd or thread left per load: attribute the allocation sites.
    if (options.attribute && leakingModelKeys(results, analysis).length > 0 && (!results.failure || isFailFastStop(results.failure))) {
      results.attribution = await attributeLeak(config, io);
      await writeJsonAtomic(config.outPath, toResultsJson(results));
    }
    const baselineFile = explicitBaseline ?? baselinePath(join(PACKAGE_ROOT, 'baselines'), results);
    const baseline = gating ? await readBaseline(baselineFile, explicitBaseline !== null) : null;
    const gate = evaluateGate(results, analysis, baseline, baselineFile);
    await reportEnd(reporters, { results, analysis, gate, baselineFile });
    return { results, analysis, gate, baselineFile };
  } finally {
    lock.release();
  }
}

/** `leakgate attribute` on the run's engine and models (its own switch count); the cost is printed. */
async function attributeLeak(config: RunConfig, io: RunIO): Promise<Attribution> {
  const attribution = await attribute(
    {
      lib: config.libraryPath, models: config.models.map((model) => model.path), audio: config.audioPath, truth: config.truth ?? undefined,
      threads: config.threads, context: config.contextLength, language: config.language, genMaxTokens: config.genMaxTokens, out: config.outPath,
    },
    { env: io.env, cwd: io.cwd, log: io.log, signal: io.signal },
  );
  io.log(formatAttribution(attribution).split('\n').at(-1)!.trim());
  return attribution;
}
