import type { RunJudgement } from '../analysis/judgeRun.js';
import type { RunResults } from '../results/RunResults.js';
import type { RunSummary } from '../results/summarizeRun.js';

/** Everything a metric may be computed from. */
export interface MetricSource {
  results: RunResults;
  summary: RunSummary;
  judgement: RunJudgement;
}

/** How far a metric may move in its worse direction before the gate fails: max(absolute, relative × |baseline|). */
export interface Tolerance {
  /** In the metric's own unit (the unit is in the metric's name). */
  absolute: number;
  /** Fraction of the baseline value. */
  relative: number;
}

/**
 * A figure the gate compares with the baseline. Names carry their unit; `worse` says which way
 * is a regression (after github-action-benchmark's bigger-is-better / smaller-is-better).
 */
export interface Metric {
  /** e.g. "leakBytesPerSwitch.heapInUse" (per model) or "growthBytesPerIteration" (run-wide). */
  name: string;
  scope: 'model' | 'run';
  worse: 'bigger' | 'smaller';
  defaultTolerance: Tolerance;
  /** Why the default tolerance is what it is. */
  why: string;
  /** The measured value, or null when the run did not measure it (e.g. no truth → no WER). */
  measure(source: MetricSource, modelKey: string | null): number | null;
}
