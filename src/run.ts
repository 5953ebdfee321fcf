/**
 * `leakgate run`, the whole pipeline: resolve the configuration, check the machine, run the scenario
 * in a worker process, analyse, compare with the baseline, report. Every step is a module of its own.
 */
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from './config/packageRoot.js';
import { resolveRunConfig } from './config/resolveRunConfig.js';
import type { RunConfig } from './config/RunConfig.js';
import type { RunOptions } from './config/RunOptions.js';
import { attribute } from './attribute.js';
import { analyzeResults, type Analysis } from './gate/analyzeResults.js';
import { baselinePath } from './gate/baselinePath.js';
import { evaluateGate, type GateOutcome } from './gate/evaluateGate.js';
import { readBaseline } from './gate/readBaseline.js';
import { describeEngine } from './host/describeEngine.js';
import { precheckRun } from './host/precheckRun.js';
import { measureRun, type MeasureHooks } from './host/measureRun.js';
import type { Scenario } from './host/scenarios/Scenario.js';
import { findScenario } from './host/scenarios/scenarios.js';
import { formatAttribution, formatNativeStack, formatTopSites, leakingModelKeys } from './report/formatAttribution.js';
import { formatGate } from './report/formatGate.js';
import { formatVerdict } from './report/formatVerdict.js';
import { ProgressLine } from './report/ProgressLine.js';
import { formatCycle, formatHeader, formatIterationHeading, formatPartialCycle, formatSummary } from './report/seedConsoleReport.js';
import { toResultsJson } from './results/resultsFile.js';
import { lockResultsFile } from './results/lockResultsFile.js';
import type { RunResults } from './results/RunResults.js';
import { LeakgateError } from './errors.js';
import { checkReportDir } from './report/checkReportDir.js';
import { fileSystemError } from './files/fileSystemError.js';
import type { Attribution } from './results/Attribution.js';
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
  /**
   * Compare with that baseline. `baseline update` measures the file it will replace, so it must not
   * read it first (a corrupt or other-model baseline is exactly what it is there to fix). @default true
   */
  compareWithBaseline?: boolean;
  /** Also write the HTML report and SVG charts into this directory. @default no report */
  report?: string;
  /** After a leak verdict, run `leakgate attribute` on the same engine and models and report the top sites. @default false */
  attribute?: boolean;
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
  // A baseline or report folder given by hand is checked now, not after an hour of measuring.
  const explicitBaseline = options.baseline === undefined ? null : resolve(io.cwd, options.baseline);
  const baselineMustExist = explicitBaseline !== null && options.compareWithBaseline !== false;
  if (baselineMustExist) await readBaseline(explicitBaseline, true);
  const reportDir = options.report === undefined ? null : resolve(io.cwd, options.report);
  if (reportDir) await checkReportDir(reportDir);
  const warnings = await precheckRun(config, io.env);
  const engine = await describeEngine(config.libraryPath, config.referenceEngine, io.env);
  io.log(formatHeader(config, scenario.description, engine));
  for (const warning of warnings) io.log(warning);

  // One run per results file: a second would replace this one's measurements with its own.
  const lock = await lockResultsFile(config.outPath);
  try {
    const progress = progressPrinter(config, scenario, io);
    const results = await measureRun(config, scenario, engine, { signal: io.signal, onSwitch: progress.onSwitch });
    progress.finish();
    const analysis = analyzeResults(results);
    const baselineFile = explicitBaseline ?? baselinePath(join(PACKAGE_ROOT, 'baselines'), results);
    const baseline = options.compareWithBaseline === false ? null : await readBaseline(baselineFile, baselineMustExist);
    const gate = evaluateGate(results, analysis, baseline, baselineFile);

    io.log(formatSummary(analysis.summary));
    io.log(formatVerdict(analysis));
    // A leak, or a --fail-fast stop on an fd or thread left per load: attribute the allocation sites.
    const leaking = leakingModelKeys(results, analysis);
    if (options.attribute && leaking.length > 0 && (!results.failure || results.failure.kind === 'unload-check')) {
      results.attribution = await attributeLeak(config, io);
      await writeJsonAtomic(config.outPath, toResultsJson(results));
      io.log(formatTopSites(results.attribution, leaking));
    }
    io.log(formatGate(gate, baselineFile));
    if (results.failure) {
      const label = results.models.find((m) => m.key === results.failure!.modelKey)?.label ?? '?';
      const partial = formatPartialCycle(results.failure, label);
      if (partial) io.log(partial);
      io.error(results.failure.message);
      if (results.failure.nativeStack) io.log(formatNativeStack(results.failure.nativeStack));
    }
    // After a failed write the cycles are in the results file or its journal (the failure says which): analyze reads either.
    io.log(results.failure?.kind === 'write-failed' ? `Results kept as far as they could be written (leakgate analyze ${config.outPath} reads them)` : `Results saved to ${config.outPath}`);
    if (reportDir && results.failure?.kind !== 'write-failed') {
      // Loaded on demand: Vega takes ~2 s to import, and most runs write no report.
      const { writeReport } = await import('./report/html/writeReport.js');
      try {
        const { htmlPath } = await writeReport(results, analysis, reportDir);
        io.log(`Report: ${htmlPath}`);
      } catch (error) {
        // The folder was checked before the run; a disk that filled since must not hide the gate's verdict.
        const problem = fileSystemError(error, 'cannot write the report into', reportDir);
        if (!(problem instanceof LeakgateError)) throw problem;
        io.log(`Report not written: ${problem.message}`);
      }
    }
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

/**
 * Prints each switch as it is measured: a heading per iteration and a line per switch with --verbose,
 * the progress line (with ETA) otherwise, finished by the run's last switch.
 */
function progressPrinter(config: RunConfig, scenario: Scenario, io: RunIO): Required<Pick<MeasureHooks, 'onSwitch'>> & { finish(): void } {
  const labels = new Map(config.models.map((model) => [model.key, model.label]));
  const cyclesPerIteration = scenario.plan(config.models, 1, config.iterations).length;
  const progress = new ProgressLine(cyclesPerIteration * config.iterations, io.write, io.tty);
  return {
    onSwitch(record, results) {
      if (config.verbose) {
        if (record.modelKey === config.models[0]!.key) io.log(formatIterationHeading(record.iteration, config.iterations));
        io.log(formatCycle(record, labels.get(record.modelKey)!));
      } else {
        progress.update(record, labels.get(record.modelKey)!, results.records.length, config.iterations);
      }
    },
    finish() {
      if (!config.verbose) progress.finish();
    },
  };
}
