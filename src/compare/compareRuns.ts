import { medianOfSorted } from '../analysis/statistics.js';
import type { ModelJudgement } from '../analysis/judgeModel.js';
import { SIGNAL_NAMES } from '../analysis/Signal.js';
import type { SignalEvidence } from '../analysis/SignalEvidence.js';
import { acceptFailure } from '../gate/acceptFailure.js';
import type { Analysis } from '../analysis/analyzeResults.js';
import type { AcceptedFailure } from '../gate/Baseline.js';
import { describeAcceptedFailure, matchesAcceptedFailure } from '../gate/judgeFailure.js';
import { type RunFailure, type RunResults, engineFailureOf } from '../results/RunResults.js';
import { COMPARE_METRICS, WARMUP_SWITCHES, type CompareMetric } from './compareMetrics.js';
import { ratioInterval, shiftInterval, type Interval } from './shiftInterval.js';
import { formatBytes, formatBytesIn } from '../units.js';

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
  /** What head may be worse by: the larger of the metric's allowance and its resolution (a leak's noise floor). */
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

/** What a comparison may accept on purpose. */
export interface CompareRunsOptions {
  /**
   * A failure both sides may share and still pass: the known failure the checked-in baseline accepts
   * (e.g. upstream's destroy abort, compared --no-patches). Any other failure both share fails.
   * @default null
   */
  acceptedFailure?: AcceptedFailure | null;
  /** How many bytes per switch head may leak more than base, on purpose, beyond the resolution. @default 0 */
  leakAllowanceBytesPerSwitch?: number;
}

/** Compares how base and head ended: the same failure is one that head would match had base's been accepted. */
export function compareFailures(base: RunFailure | null, head: RunFailure | null): FailureChange {
  const [b, h] = [engineFailureOf(base), engineFailureOf(head)];
  if (!b && !h) return { change: 'none' };
  if (b && !h) return { change: 'fixed', base: b };
  if (!b && h) return { change: 'new', head: h };
  return matchesAcceptedFailure(h!, acceptFailure(b!, '', ''))
    ? { change: 'same', base: b!, head: h! }
    : { change: 'different', base: b!, head: h! };
}

/** Per-switch values of one metric for the model at `index`, warm-up switches left out. */
function switchValues(side: Side, index: number, metric: CompareMetric): number[] {
  const key = side.results.models[index]?.key;
  const records = side.results.records
    .filter((record) => record.modelKey === key && record.unloadStep === 'destroy')
    .slice(WARMUP_SWITCHES);
  return records.map((record) => metric.perSwitch(record)).filter((value): value is number => value !== null && Number.isFinite(value));
}

const medianOf = (values: number[]): number | null => (values.length === 0 ? null : medianOfSorted(Float64Array.from(values).sort()));

/** Worse beyond tolerance means the whole interval lies past it, in the worse direction. */
function beyondTolerance(worse: CompareMetric['worse'], tolerance: number, interval: Interval): boolean {
  return worse === 'bigger' ? interval.low > tolerance : interval.high < tolerance;
}

/** Switches a side measured to the end (load, use, destroying unload), all models together. */
const measuredSwitches = (side: Side): number => side.results.records.filter((record) => record.unloadStep === 'destroy').length;

/**
 * Base against head: failure changes first, then per model and metric the head-vs-base interval
 * (leak per switch as a difference in bytes, the rest as ratios). A pass needs evidence, so it fails:
 * - when a side measured no switch (nothing was compared), or both failed in a way no baseline accepts;
 * - when head fails where base does not (or differently);
 * - when head has a leak verdict (a model's, the process's, or a count's) that base does not;
 * - when a metric's whole 95 % interval is worse than its tolerance: for the leak per switch, above
 *   zero by more than the signal's noise floor (plus any allowance set on purpose).
 */
export function compareRuns(base: Side, head: Side, options: CompareRunsOptions = {}): CompareOutcome {
  const failureChange = compareFailures(base.results.failure, head.results.failure);
  const violations: string[] = [];
  for (const [name, side] of [
    ['base', base],
    ['head', head],
  ] as const) {
    if (measuredSwitches(side) > 0) continue;
    const why = side.results.failure ? side.results.failure.message : 'the run ended before its first switch';
    violations.push(`${name} measured no switch (${why}): nothing was compared, which is no pass`);
  }
  if (failureChange.change === 'new') violations.push(`head fails where base does not: ${failureChange.head.message}`);
  if (failureChange.change === 'different') {
    violations.push(`head fails differently from base: head ${failureChange.head.message}; base ${failureChange.base.message}`);
  }
  if (failureChange.change === 'same') {
    const accepted = options.acceptedFailure ?? null;
    if (!accepted || !matchesAcceptedFailure(failureChange.head, accepted) || !matchesAcceptedFailure(failureChange.base, accepted)) {
      violations.push(
        `both fail the same way and no baseline accepts it: ${failureChange.head.message}` +
          (accepted ? ` (the accepted failure is ${describeAcceptedFailure(accepted)})` : '') +
          ' — what neither side measured past the failure is not compared (fix it, or accept it as a known failure in the baseline)',
      );
    }
  }

  const unloadChanges = compareUnloadFindings(base, head);
  for (const change of unloadChanges) {
    if (change.base === 0 && change.head > 0) {
      violations.push(
        `head leaves ` +
          `${({ mapping: 'a model mapping', fd: 'an fd', thread: 'a thread' } as Record<string, string>)[change.kind] ?? change.kind} ` +
          `behind where base does not (${change.head} over the run): ${change.example}`,
      );
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
    const pair = { label, base: judgementOf(base), head: judgementOf(head) };
    verdicts.push(pair);
    const modelRows: CompareRow[] = [];
    for (const metric of COMPARE_METRICS) {
      const baseValues = switchValues(base, index, metric);
      const headValues = switchValues(head, index, metric);
      const records = [base, head].flatMap((side) =>
        side.results.records.filter((r) => r.modelKey === side.results.models[index]!.key && r.unloadStep === 'destroy'),
      );
      const allowance = metric.kind === 'difference' ? (options.leakAllowanceBytesPerSwitch ?? metric.tolerance) : metric.tolerance;
      const tolerance = Math.max(allowance, metric.resolution?.(records) ?? -Infinity);
      const interval = metric.kind === 'difference' ? shiftInterval(baseValues, headValues) : ratioInterval(baseValues, headValues);
      const status: CompareRow['status'] =
        interval === null ? 'not-measured' : beyondTolerance(metric.worse, tolerance, interval) ? 'fail' : 'pass';
      modelRows.push({
        modelIndex: index,
        label,
        metric: metric.name,
        unit: metric.unit,
        kind: metric.kind,
        worse: metric.worse,
        tolerance,
        base: medianOf(baseValues),
        head: medianOf(headValues),
        interval,
        switches: { base: baseValues.length, head: headValues.length },
        status,
      });
    }
    rows.push(...modelRows);
    const leakRow = modelRows.find((r) => r.kind === 'difference') ?? null;
    // Too few switches for the leak difference's interval, and head's own verdict undecided: nothing
    // tells head's leak, which is no pass (a head decided on its own, e.g. fixing base's abort, stands).
    const headUndecided = (pair.head?.verdict ?? 'undecided') === 'undecided';
    if (leakRow?.status === 'not-measured' && headUndecided && measuredSwitches(base) > 0 && measuredSwitches(head) > 0) {
      violations.push(
        `${label}: the leak per switch was not compared (base ${leakRow.switches.base}, head ${leakRow.switches.head} switches ` +
          'after warm-up, too few for an interval): no pass without it (run more iterations)',
      );
    }
    const newLeak = newLeakVerdict(pair, leakRow);
    if (newLeak) violations.push(newLeak);
    for (const row of modelRows) if (row.status === 'fail') violations.push(describeRowFailure(row));
  }
  violations.push(...newCountLeaks(base, head, unloadChanges));
  const processLeak = newProcessLeak(base, head);
  if (processLeak) violations.push(processLeak);
  return { passed: violations.length === 0, failureChange, unloadChanges, verdicts, rows, violations };
}

const signedBytes = (v: number): string => `${v >= 0 ? '+' : '−'}${formatBytes(Math.abs(v))}`;

/** "heap in use +18.5 KiB/switch (95 % CI +17.0 KiB to +20.1 KiB)" */
function describeEvidence(e: SignalEvidence): string {
  const ci = e.ci95Bytes ? ` (95 % CI ${signedBytes(e.ci95Bytes[0])} to ${signedBytes(e.ci95Bytes[1])})` : '';
  return `${SIGNAL_NAMES[e.signal]} ${signedBytes(e.slopeBytesPerSwitch)}/switch${ci}`;
}

/**
 * Head's model leaks and base's does not: the model, the signal, head's and base's slopes, and the
 * difference per switch with its interval (the leak row's, or the slopes' difference without one).
 */
function newLeakVerdict(pair: CompareOutcome['verdicts'][number], leakRow: CompareRow | null): string | null {
  const { head, base } = pair;
  if (head?.verdict !== 'leak' || base?.verdict === 'leak') return null;
  const headEvidence = head.evidence.find((e) => e.signal === head.decidedBy)!;
  const baseEvidence = base?.evidence.find((e) => e.signal === headEvidence.signal);
  const difference = leakRow?.interval
    ? `difference ${signedBytes(leakRow.interval.estimate)}/switch (95 % CI ${signedBytes(leakRow.interval.low)} to ` +
      `${signedBytes(leakRow.interval.high)})`
    : baseEvidence
      ? `difference ${signedBytes(headEvidence.slopeBytesPerSwitch - baseEvidence.slopeBytesPerSwitch)}/switch`
      : 'base not measured on it';
  return (
    `${pair.label}: head leaks where base does not: ${describeEvidence(headEvidence)} against base ` +
    `${base ? `${base.verdict}${baseEvidence ? ` (${describeEvidence(baseEvidence)})` : ''}` : 'not measured'}; ${difference}`
  );
}

/** A count (fd, thread, mapping) head's model leaks and base's does not, when the kind's totals did not say so already. */
function newCountLeaks(base: Side, head: Side, unloadChanges: readonly UnloadChange[]): string[] {
  const reported = new Set(unloadChanges.filter((c) => c.base === 0 && c.head > 0).map((c) => c.kind));
  const lines: string[] = [];
  head.results.models.forEach((model, index) => {
    const baseKey = base.results.models[index]?.key;
    for (const finding of head.analysis.judgement.counts.filter((c) => c.modelKey === model.key && c.verdict === 'leak')) {
      if (reported.has(finding.kind)) continue;
      const baseFinding = base.analysis.judgement.counts.find((c) => c.modelKey === baseKey && c.kind === finding.kind);
      if (baseFinding?.verdict === 'leak') continue;
      lines.push(
        `${model.label}: head leaks ${finding.kind}s where base does not (base ` +
          `${baseFinding?.verdict ?? 'not measured'}): ${finding.message}`,
      );
    }
  });
  return lines;
}

/** The whole process leaks in head and not in base (a growth no single model shows). */
function newProcessLeak(base: Side, head: Side): string | null {
  const [b, h] = [base.analysis.judgement.process, head.analysis.judgement.process];
  if (h?.verdict !== 'leak' || b?.verdict === 'leak') return null;
  const e = h.evidence.find((x) => x.signal === h.decidedBy)!;
  return (
    `process: head leaks where base does not: ${describeEvidence(e).replace('/switch', '/iteration')} against base ` +
    `${b?.verdict ?? 'not judged'}`
  );
}

/** Per count kind, how many fds, threads or mappings each side's leaking counts kept over the run. */
export function compareUnloadFindings(base: Side, head: Side): UnloadChange[] {
  const leaks = (side: Side) => side.analysis.judgement.counts.filter((c) => c.verdict === 'leak');
  const kept = (side: Side, kind: string) =>
    leaks(side)
      .filter((c) => c.kind === kind)
      .reduce((sum, c) => sum + c.growth, 0);
  const kinds = [...new Set([...leaks(base), ...leaks(head)].map((c) => c.kind))];
  return kinds.map((kind) => ({
    kind,
    base: kept(base, kind),
    head: kept(head, kind),
    example: leaks(head).find((c) => c.kind === kind)?.message ?? null,
  }));
}

/** "0.6B leakBytesPerSwitch: head leaks +256.0 KiB/switch more than base (95% CI +250.1 to +262.3 KiB), allowed +4.0 KiB" */
export function describeRowFailure(row: CompareRow): string {
  const i = row.interval!;
  if (row.kind === 'difference') {
    const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${formatBytesIn(Math.abs(v), 'KiB')}`;
    return (
      `${row.label} ${row.metric}: head leaks ${signed(i.estimate)}/switch more than base (95% CI ${signed(i.low)} to ` +
      `${signed(i.high)}), allowed +${formatBytesIn(row.tolerance, 'KiB')}`
    );
  }
  const pct = (ratio: number): string => `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(1)} %`;
  return (
    `${row.label} ${row.metric}: head/base ×${i.estimate.toFixed(3)} (${pct(i.estimate)}; 95% CI ×${i.low.toFixed(3)} to ×` +
    `${i.high.toFixed(3)}), allowed ×${row.tolerance.toFixed(3)}`
  );
}
