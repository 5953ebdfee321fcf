import { medianOfSorted } from '../analysis/statistics.js';
import type { ModelJudgement } from '../analysis/judgeModel.js';
import { acceptFailure } from '../gate/acceptFailure.js';
import type { Analysis } from '../analysis/analyzeResults.js';
import { matchesAcceptedFailure } from '../gate/judgeFailure.js';
import { type RunFailure, type RunResults, engineFailureOf } from '../results/RunResults.js';
import { COMPARE_METRICS, WARMUP_SWITCHES, type CompareMetric } from './compareMetrics.js';
import { ratioInterval, shiftInterval, type Interval } from './shiftInterval.js';
import { formatBytesIn } from '../units.js';

/** One engine's side of a comparison. */
export interface Side {
  results: RunResults;
  analysis: Analysis;
}

/** How the two engines ended, compared: reported before any metric. */
export type FailureChange =
  | { change: 'none' }
  | { change: 'fixed'; base: RunFailure }
  | { change: 'new'; head: RunFailure }
  | { change: 'same'; base: RunFailure; head: RunFailure }
  | { change: 'different'; base: RunFailure; head: RunFailure };

/** One metric of one model: base and head medians, and the head-vs-base interval. */
export interface CompareRow {
  /** Position of the model in the switching order (base and head models are paired by position). */
  modelIndex: number;
  label: string;
  metric: string;
  unit: string;
  kind: CompareMetric['kind'];
  worse: CompareMetric['worse'];
  tolerance: number;
  /** Median per-switch value of each engine (after the warm-up switches). */
  base: number | null;
  head: number | null;
  /** head − base (difference) or head / base (ratio), 95 %; null when a side has < 2 switches. */
  interval: Interval | null;
  switches: { base: number; head: number };
  status: 'pass' | 'fail' | 'not-measured';
}

/**
 * What unloads left behind, of one kind (mapping, fd, thread), on each side: how many the leaking
 * counts kept over the run (counts judged `leak`; a one-time start-up thread is not counted).
 */
export interface UnloadChange {
  kind: string;
  base: number;
  head: number;
  /** The first of head's findings of this kind, for the message. */
  example: string | null;
}

export interface CompareOutcome {
  passed: boolean;
  failureChange: FailureChange;
  /** Unload-check kinds found on either side (compare runs past them), head's new ones fail. */
  unloadChanges: UnloadChange[];
  /** Verdicts side by side, per model. */
  verdicts: { label: string; base: ModelJudgement | null; head: ModelJudgement | null }[];
  rows: CompareRow[];
  /** Why it fails, failure changes first. */
  violations: string[];
}

/** Compares how base and head ended: the same failure is one that head would match had base's been accepted. */
export function compareFailures(base: RunFailure | null, head: RunFailure | null): FailureChange {
  const [b, h] = [engineFailureOf(base), engineFailureOf(head)];
  if (!b && !h) return { change: 'none' };
  if (b && !h) return { change: 'fixed', base: b };
  if (!b && h) return { change: 'new', head: h };
  return matchesAcceptedFailure(h!, acceptFailure(b!, '', '')) ? { change: 'same', base: b!, head: h! } : { change: 'different', base: b!, head: h! };
}

/** Per-switch values of one metric for the model at `index`, warm-up switches left out. */
function switchValues(side: Side, index: number, metric: CompareMetric): number[] {
  const key = side.results.models[index]?.key;
  const records = side.results.records.filter((record) => record.modelKey === key && record.unloadStep === 'destroy').slice(WARMUP_SWITCHES);
  return records.map((record) => metric.perSwitch(record)).filter((value): value is number => value !== null && Number.isFinite(value));
}

const medianOf = (values: number[]): number | null => (values.length === 0 ? null : medianOfSorted(Float64Array.from(values).sort()));

/** Worse beyond tolerance means the whole interval lies past it, in the worse direction. */
function beyondTolerance(metric: CompareMetric, interval: Interval): boolean {
  return metric.worse === 'bigger' ? interval.low > metric.tolerance : interval.high < metric.tolerance;
}

/**
 * Base against head: failure changes first, then per model and metric the head-vs-base interval
 * (leak per switch as a difference in bytes, the rest as ratios). Fails when head fails where base
 * does not (or differently), or when a metric's whole 95 % interval is worse than its tolerance.
 */
export function compareRuns(base: Side, head: Side): CompareOutcome {
  const failureChange = compareFailures(base.results.failure, head.results.failure);
  const violations: string[] = [];
  if (failureChange.change === 'new') violations.push(`head fails where base does not: ${failureChange.head.message}`);
  if (failureChange.change === 'different') {
    violations.push(`head fails differently from base: head ${failureChange.head.message}; base ${failureChange.base.message}`);
  }

  const unloadChanges = compareUnloadFindings(base, head);
  for (const change of unloadChanges) {
    if (change.base === 0 && change.head > 0) {
      violations.push(`head leaves ${({ mapping: 'a model mapping', fd: 'an fd', thread: 'a thread' } as Record<string, string>)[change.kind] ?? change.kind} behind where base does not (${change.head} over the run): ${change.example}`);
    }
  }

  const count = Math.min(base.results.models.length, head.results.models.length);
  const rows: CompareRow[] = [];
  const verdicts: CompareOutcome['verdicts'] = [];
  for (let index = 0; index < count; index += 1) {
    const [baseLabel, headLabel] = [base.results.models[index]!.label, head.results.models[index]!.label];
    const label = baseLabel === headLabel ? baseLabel : `${baseLabel}|${headLabel}`;
    const judgementOf = (side: Side): ModelJudgement | null =>
      side.analysis.judgement.models.find((m) => m.modelKey === side.results.models[index]!.key) ?? null;
    verdicts.push({ label, base: judgementOf(base), head: judgementOf(head) });
    for (const metric of COMPARE_METRICS) {
      const baseValues = switchValues(base, index, metric);
      const headValues = switchValues(head, index, metric);
      const interval = metric.kind === 'difference' ? shiftInterval(baseValues, headValues) : ratioInterval(baseValues, headValues);
      const status: CompareRow['status'] = interval === null ? 'not-measured' : beyondTolerance(metric, interval) ? 'fail' : 'pass';
      const row: CompareRow = {
        modelIndex: index, label, metric: metric.name, unit: metric.unit, kind: metric.kind, worse: metric.worse, tolerance: metric.tolerance,
        base: medianOf(baseValues), head: medianOf(headValues), interval, switches: { base: baseValues.length, head: headValues.length }, status,
      };
      rows.push(row);
      if (status === 'fail') violations.push(describeRowFailure(row));
    }
  }
  return { passed: violations.length === 0, failureChange, unloadChanges, verdicts, rows, violations };
}

/** Per count kind, how many fds, threads or mappings each side's leaking counts kept over the run. */
export function compareUnloadFindings(base: Side, head: Side): UnloadChange[] {
  const leaks = (side: Side) => side.analysis.judgement.counts.filter((c) => c.verdict === 'leak');
  const kept = (side: Side, kind: string) => leaks(side).filter((c) => c.kind === kind).reduce((sum, c) => sum + c.growth, 0);
  const kinds = [...new Set([...leaks(base), ...leaks(head)].map((c) => c.kind))];
  return kinds.map((kind) => ({
    kind, base: kept(base, kind), head: kept(head, kind), example: leaks(head).find((c) => c.kind === kind)?.message ?? null,
  }));
}

/** "0.6B leakBytesPerSwitch: head leaks +256.0 KiB/switch more than base (95% CI +250.1 to +262.3 KiB), allowed +64.0 KiB" */
export function describeRowFailure(row: CompareRow): string {
  const i = row.interval!;
  if (row.kind === 'difference') {
    const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${formatBytesIn(Math.abs(v), 'KiB')}`;
    return `${row.label} ${row.metric}: head leaks ${signed(i.estimate)}/switch more than base (95% CI ${signed(i.low)} to ${signed(i.high)}), allowed +${formatBytesIn(row.tolerance, 'KiB')}`;
  }
  const pct = (ratio: number): string => `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(1)} %`;
  return `${row.label} ${row.metric}: head/base ×${i.estimate.toFixed(3)} (${pct(i.estimate)}; 95% CI ×${i.low.toFixed(3)} to ×${i.high.toFixed(3)}), allowed ×${row.tolerance.toFixed(3)}`;
}
