/**
 * `leakgate run`, the whole pipeline: resolve the configuration, check the machine, run the scenario
 * in a worker process ([attribute a leak] before the one write of the results file), then judge:
 * analyse, compare with the baseline, report. Every step is a module of its own.
 */
import { resolve } from 'node:path';
import { leakingModelKeys } from '../analysis/leakingModelKeys.js';
import type { RunConfig } from '../config/RunConfig.js';
import type { RunOptions } from '../config/RunOptions.js';
import { precheckRun } from '../doctor/doctor.js';
import { analyzeResults, type Analysis } from '../analysis/analyzeResults.js';
import type { GateOutcome } from '../gate/evaluateGate.js';
import { resolveBaselinesDir } from '../gate/baselinePath.js';
import { checkBaselinesDir } from '../gate/checkBaselinesDir.js';
import { readBaseline } from '../gate/readBaseline.js';
import { refuseOutputOverInput, type NamedPath } from '../files/outputFile.js';
import { requireHeaptrack } from '../host/attribution/findHeaptrack.js';
import { describeEngine } from '../host/describeEngine.js';
import { measureRun } from '../host/measureRun.js';
import type { LeakgateIO } from '../LeakgateIO.js';
import { checkReportDir } from '../report/checkReportDir.js';
import { formatAttribution } from '../report/formatAttribution.js';
import { createReporters, type ReporterName } from '../report/reporters.js';
import { lockResultsFile } from '../results/lockResultsFile.js';
import { isFailFastStop, type ModelIteration, type RunResults } from '../results/RunResults.js';
import { stopWhenDecided } from '../analysis/stopWhenDecided.js';
import { attributeSites } from './attribute.js';
import { judge } from './judge.js';
import { resolveRun, type ResolvedRun } from './resolveRun.js';

export interface GateOptions {
  /** Baseline file to compare with. @default <baselinesDir>/<engine>/<platform>/<scenario>--<models>.json */
  baseline?: string;
  /** Folder of the baselines, relative to `io.cwd` (the user's project, where they are committed). @default "baselines" */
  baselinesDir?: string;
  /**
   * Compare with that baseline. `baseline update` measures the file it will replace, so it must not
   * read it first (a corrupt or other-model baseline is exactly what it is there to fix). @default true
   */
  compareWithBaseline?: boolean;
  /** Also write the HTML report and SVG charts into this directory. @default no report */
  report?: string;
  /** The reporters, by name (see REPORTERS). @default console and html (html writes only with `report`) */
  reporters?: ReporterName[];
  /** Print how the run failed on stderr (its error line); `baseline update` prints its own. @default true */
  failureOnStderr?: boolean;
  /** After a leak verdict, run `leakgate attribute` on the same engine, models and settings and report the top sites. @default false */
  attribute?: boolean;
}

export interface RunOutcome {
  results: RunResults;
  analysis: Analysis;
  gate: GateOutcome;
  baselineFile: string;
  /** The results file the run wrote (every switch measured, however it ended). */
  resultsFile: string;
}

/** Runs the benchmark end to end: results (saved as they are measured), analysis, gate, reports. */
export async function run(options: RunOptions & GateOptions, io: LeakgateIO): Promise<RunOutcome> {
  const resolved = await resolveRun(options, io);
  const { config, scenario } = resolved;
  // heaptrack for --attribute is checked now, not after an hour of measuring.
  if (options.attribute) await requireHeaptrack(io.env);
  const gating = options.compareWithBaseline !== false;
  // A baseline or report folder given by hand is checked now, not after an hour of measuring.
  const explicitBaseline = options.baseline === undefined ? null : resolve(io.cwd, options.baseline);
  const written = runOutputsAndInputs(config, explicitBaseline);
  if (gating && explicitBaseline !== null) await readBaseline(explicitBaseline, true);
  const baselinesDir = resolveBaselinesDir(io.cwd, options.baselinesDir);
  if (explicitBaseline === null) {
    await checkBaselinesDir(
      baselinesDir,
      options.baselinesDir === undefined ? 'move it away, or pass --baseline FILE' : 'set baselinesDir to a folder, or pass baseline: FILE',
    );
  }
  const reportDir = options.report === undefined ? null : resolve(io.cwd, options.report);
  if (reportDir) await checkReportDir(reportDir, '--report', written);
  const warnings = await precheckRun(config, io.env);
  const engine = await describeEngine(config.libraryPath, config.referenceEngine, io.env);
  const reporters = createReporters(options.reporters ?? ['console', 'html'], io, {
    verbose: config.verbose,
    reportDir,
    failureOnStderr: options.failureOnStderr,
  });
  const switchesPerIteration = scenario.plan(config.models, 1, config.iterations).length;
  for (const reporter of reporters)
    reporter.onStart?.({ config, scenarioDescription: scenario.description, switchesPerIteration, engine, warnings });

  // One run per results file: a second would replace this one's measurements with its own.
  const lock = await lockResultsFile(config.outPath);
  try {
    const results = await measureRun(config, scenario, engine, {
      signal: io.signal,
      afterIteration: config.stopRule.rule === 'until-decided' ? stopWhenDecided(config.stopRule) : undefined,
      onSwitch: (record: ModelIteration, soFar: RunResults) => reporters.forEach((reporter) => reporter.onSwitch?.(record, soFar)),
      beforeSave: options.attribute ? (measured) => attributeLeak(measured, resolved, io) : undefined,
    });
    const judged = await judge(results, {
      gate: { baseline: explicitBaseline, read: gating, baselinesDir },
      reporters,
    });
    return { results, analysis: judged.analysis, gate: judged.gate!, baselineFile: judged.baselineFile!, resultsFile: config.outPath };
  } finally {
    lock.release();
  }
}

/**
 * A leak, or a --fail-fast stop on an fd or thread left per load: the allocation sites, attributed on
 * the run's own configuration (its own switch count), joined to the results before they are written.
 */
async function attributeLeak(results: RunResults, run: ResolvedRun, io: LeakgateIO): Promise<void> {
  if (results.failure && !isFailFastStop(results.failure)) return;
  if (leakingModelKeys(results, analyzeResults(results)).length === 0) return;
  results.attribution = await attributeSites(run, undefined, io);
  io.log(formatAttribution(results.attribution).split('\n').at(-1)!.trim());
}

/**
 * What a run reads and writes besides its report: its inputs, the results file and the baseline given by
 * hand. The results file is refused (exit 2) when it is the baseline: one would replace the other.
 */
function runOutputsAndInputs(config: RunConfig, explicitBaseline: string | null): NamedPath[] {
  const results = { what: 'results file (--out)', path: config.outPath };
  if (explicitBaseline === null) return [...config.inputs, results];
  const baseline = { what: 'baseline (--baseline)', path: explicitBaseline };
  refuseOutputOverInput(results, [baseline], 'pass --out and --baseline two different files');
  return [...config.inputs, results, baseline];
}
