/**
 * The reporters: what a run or a re-read results file shows, as vitest's reporters do. Each listens
 * through optional hooks (start, switch, end); a command names the ones it wants from REPORTERS.
 */
import { relative } from 'node:path';
import type { RunConfig } from '../config/RunConfig.js';
import { LeakgateError } from '../errors.js';
import type { LeakgateIO } from '../LeakgateIO.js';
import { fileSystemError } from '../files/fileSystemError.js';
import type { Analysis } from '../analysis/analyzeResults.js';
import type { GateOutcome } from '../gate/evaluateGate.js';
import type { EngineInfo, ModelIteration, RunResults } from '../results/RunResults.js';
import { leakingModelKeys } from '../analysis/leakingModelKeys.js';
import { formatNativeStack, formatTopSites } from './formatAttribution.js';
import { formatGate } from './formatGate.js';
import { formatVerdict } from './formatVerdict.js';
import { appendJobSummary } from './appendJobSummary.js';
import { gateJobSummary, mermaidTimeline } from './gateJobSummary.js';
import { jsonSummary } from './jsonSummary.js';
import { ProgressLine } from './ProgressLine.js';
import { formatHeader, formatIterationHeading, formatPartialSwitch, formatSwitch } from './formatRunLog.js';
import { formatRetention } from './formatRetention.js';
import { formatSummary } from './formatSummary.js';
import { formatEngineSites } from './formatEngineSites.js';
import { formatLedgerNote } from './formatLedgerNote.js';
import { formatSwitchTime } from './formatSwitchTime.js';
import { nothingToSave } from '../results/ResultsJournal.js';

/** A run about to measure: what runs, on what, and the precheck's warnings. */
export interface RunStart {
  config: RunConfig;
  scenarioDescription: string;
  /** Switches one iteration makes (one per model for `switch`). */
  switchesPerIteration: number;
  engine: EngineInfo;
  warnings: string[];
  /** Print the run's header (engine, models, scenario). @default true; compare prints its own, for both sides */
  header?: boolean;
}

/** A run (or a results file) judged: the gate is null where nothing was gated (`leakgate analyze`). */
export interface RunEnd {
  results: RunResults;
  analysis: Analysis;
  gate: GateOutcome | null;
  baselineFile: string | null;
}

export interface Reporter {
  onStart?(start: RunStart): void;
  /**
   * After each switch is measured and saved. `switchesDone` counts the switches of the whole run
   * (@default results.records.length; compare counts both sides').
   */
  onSwitch?(record: ModelIteration, results: RunResults, switchesDone?: number): void;
  /** The last switch is measured, however the run ended (compare, which has no onEnd, ends its progress line). */
  onMeasured?(): void;
  onEnd?(end: RunEnd): void | Promise<void>;
}

export interface ReporterOptions {
  /** The seed's per-iteration blocks instead of a progress line. */
  verbose: boolean;
  /** Folder of the HTML report and SVG charts (the `html` reporter writes nothing without it). */
  reportDir: string | null;
  /**
   * Print how the run failed as the command's error line (stderr), else on stdout: `baseline update`
   * says it in its own one error line, refusing the baseline. @default true
   */
  failureOnStderr?: boolean;
}

/** The seed's console report: banner, progress or per-iteration blocks, summary, verdict, gate, failure. */
function consoleReporter(io: LeakgateIO, options: ReporterOptions): Reporter {
  let run: { progress: ProgressLine; config: RunConfig; labels: Map<string, string> } | null = null;
  return {
    onStart({ config, scenarioDescription, switchesPerIteration, engine, warnings, header = true }) {
      if (header) io.log(formatHeader(config, scenarioDescription, engine));
      for (const warning of warnings) io.log(warning);
      const progress = new ProgressLine(switchesPerIteration * config.iterations, io.write, io.tty);
      run = { progress, config, labels: new Map(config.models.map((model) => [model.key, model.label])) };
    },
    onSwitch(record, results, switchesDone = results.records.length) {
      if (!run) return;
      const label = run.labels.get(record.modelKey)!;
      if (options.verbose) {
        if (record.modelKey === run.config.models[0]!.key) io.log(formatIterationHeading(record.iteration, run.config.iterations));
        io.log(formatSwitch(record, label));
      } else {
        run.progress.update(record, label, switchesDone, run.config.iterations);
      }
    },
    onMeasured() {
      if (run && !options.verbose) run.progress.finish();
    },
    onEnd({ results, analysis, gate, baselineFile }) {
      if (run && !options.verbose) run.progress.finish();
      if (results.stopping?.reason) io.log(`Stopped: ${results.stopping.reason}`);
      const ledgerNote = formatLedgerNote(analysis.uncountedEngineAllocations);
      if (ledgerNote) io.log(`Note: ${ledgerNote}`);
      io.log(formatSummary(analysis.summary));
      const switchTime = formatSwitchTime(results);
      if (switchTime) io.log(switchTime);
      io.log(formatVerdict(analysis));
      const retention = formatRetention(analysis.retention);
      if (retention) io.log(retention);
      const engineSites = formatEngineSites(analysis.engineSites, new Map(results.models.map((m) => [m.key, m.label])));
      if (engineSites) io.log(engineSites);
      if (results.attribution) io.log(formatTopSites(results.attribution, leakingModelKeys(results, analysis)));
      if (gate) io.log(formatGate(gate, baselineFile));
      if (!run) return;
      // A live run closes with how it ended and where its results are.
      const { failure } = results;
      if (failure) {
        const partial = formatPartialSwitch(failure, run.labels.get(failure.modelKey ?? '') ?? '?');
        if (partial) io.log(partial);
        (options.failureOnStderr === false ? io.log : io.error)(failure.message);
        if (failure.nativeStack) io.log(formatNativeStack(failure.nativeStack));
      }
      const outPath = run.config.outPath;
      // After a failed write the switches are in the results file or its journal (the failure says which): analyze reads either.
      io.log(
        failure?.kind === 'write-failed'
          ? `Results kept as far as they could be written (leakgate analyze ${outPath} reads them)`
          : nothingToSave(results)
            ? `Nothing measured, so nothing saved (${outPath} left as it was)`
            : `Results saved to ${outPath}`,
      );
    },
  };
}

/** `--json`: the machine-readable summary on stdout. */
function jsonReporter(io: LeakgateIO): Reporter {
  return {
    onEnd({ results, analysis, gate }) {
      io.out(`${JSON.stringify(jsonSummary(results, analysis, gate), null, 2)}\n`);
    },
  };
}

/** `--report DIR`: the self-contained HTML report and its SVG charts. */
function htmlReporter(io: LeakgateIO, options: ReporterOptions): Reporter {
  let live = false;
  return {
    onStart() {
      live = true;
    },
    async onEnd({ results, analysis }) {
      const dir = options.reportDir;
      if (dir === null || results.failure?.kind === 'write-failed') return;
      // Loaded on demand: Vega takes ~2 s to import, and most runs write no report.
      const { writeReport } = await import('./html/writeReport.js');
      try {
        const { htmlPath, svgPaths } = await writeReport(results, analysis, dir);
        const shown = relative(io.cwd, htmlPath).startsWith('..') ? htmlPath : relative(io.cwd, htmlPath);
        io.log(`Report: ${shown} (${svgPaths.length} SVG charts beside it)`);
      } catch (error) {
        // The folder was checked before the run; a disk that filled since must not hide the gate's verdict
        // (a report written from a results file has no verdict to hide: its error is the command's).
        const problem = fileSystemError(error, 'cannot write the report into', dir);
        if (!live || !(problem instanceof LeakgateError)) throw problem;
        io.log(`Report not written: ${problem.message}`);
      }
    },
  };
}

/** On GitHub Actions ($GITHUB_STEP_SUMMARY set): the gate's table and charts in the job summary. */
function githubSummaryReporter(io: LeakgateIO): Reporter {
  return {
    async onEnd({ results, analysis, gate, baselineFile }) {
      if (!io.env.GITHUB_STEP_SUMMARY || !gate || baselineFile === null) return;
      await appendJobSummary(
        io.env,
        io.cwd,
        `${gateJobSummary(results, analysis, gate, baselineFile)}\n${mermaidTimeline(results, analysis)}`,
      );
    },
  };
}

/** Every reporter by name, in the order they report. */
const REPORTERS = {
  console: consoleReporter,
  json: jsonReporter,
  html: htmlReporter,
  'github-summary': githubSummaryReporter,
} satisfies Record<string, (io: LeakgateIO, options: ReporterOptions) => Reporter>;

export type ReporterName = keyof typeof REPORTERS;

/** The named reporters, in REPORTERS' order whatever the order of `names`. */
export function createReporters(names: readonly ReporterName[], io: LeakgateIO, options: ReporterOptions): Reporter[] {
  return (Object.keys(REPORTERS) as ReporterName[]).filter((name) => names.includes(name)).map((name) => REPORTERS[name](io, options));
}

/** Tells every reporter the run ended, one after the other (a report is written after the console's lines). */
export async function reportEnd(reporters: readonly Reporter[], end: RunEnd): Promise<void> {
  for (const reporter of reporters) await reporter.onEnd?.(end);
}
