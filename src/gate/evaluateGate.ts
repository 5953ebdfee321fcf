import { COUNT_VERDICT_WEIGHT, type CountKind } from '../analysis/judgeCounts.js';
import type { SignalEvidence } from '../analysis/SignalEvidence.js';
import type { Verdict } from '../analysis/Verdict.js';
import { usageError } from '../errors.js';
import { completedIterations } from '../results/resultsFile.js';
import { type RunResults, isFailFastStop } from '../results/RunResults.js';
import type { Analysis } from '../analysis/analyzeResults.js';
import { baselineEngine, type Baseline } from './Baseline.js';
import { judgeFailure, type FailureJudgement } from './judgeFailure.js';
import { leakOfAcceptedSites } from './acceptEngineSites.js';
import { countLeakMetricName, leakMetricName, METRICS, metricKey } from './metrics.js';
import { PLATFORM } from '../system/platform.js';
import { formatBytes } from '../units.js';

/** One metric of one model (or of the run) against its baseline. */
export interface Comparison {
  key: string;
  metric: string;
  modelKey: string | null;
  label: string;
  worse: 'bigger' | 'smaller';
  baseline: number | null;
  measured: number | null;
  /** How far the metric may move in its worse direction. */
  allowed: number | null;
  /** measured / baseline; null when the baseline is 0 or missing. */
  ratio: number | null;
  status: 'pass' | 'fail' | 'no-baseline' | 'not-measured';
}

/** Why the gate fails. */
export interface Violation {
  kind: 'failure' | 'incomplete' | 'known-failure-gone' | 'leak' | 'undecided' | 'count' | 'regression';
  modelKey: string | null;
  label: string;
  message: string;
  evidence?: SignalEvidence;
  comparison?: Comparison;
}

export interface GateOutcome {
  passed: boolean;
  violations: Violation[];
  /** Leaks and undecided verdicts the baseline accepts, and why each holds (one line each). */
  acceptances: string[];
  comparisons: Comparison[];
  baseline: Baseline | null;
  /** How the run ended against the baseline's accepted failure (see judgeFailure). */
  failure: FailureJudgement;
}

/** One verdict the gate reads, keyed as a baseline records it. */
export interface JudgedVerdict {
  /** A model key, "process", or "<model key>/<count kind>" (e.g. "model_06b/fd"). */
  key: string;
  modelKey: string | null;
  label: string;
  verdict: Verdict;
  /** The verdict's first line of evidence. */
  message: string;
  evidence?: SignalEvidence;
  /** For a count's verdict: which count. */
  countKind?: CountKind;
}

/**
 * Every verdict of a run the gate reads: each model's, the process's (two models or more), and each
 * count's (fds, threads, mappings; a one-time count weighs as clean).
 */
export function judgedVerdicts(analysis: Analysis): JudgedVerdict[] {
  const { models, process, counts } = analysis.judgement;
  return [
    ...models.map((m) => ({
      key: m.modelKey,
      modelKey: m.modelKey,
      label: m.label,
      verdict: m.verdict,
      message: m.explanations[0] ?? `verdict ${m.verdict}`,
      evidence: m.evidence.find((e) => e.signal === m.decidedBy),
    })),
    ...(process
      ? [
          {
            key: PROCESS_KEY,
            modelKey: null,
            label: 'process',
            verdict: process.verdict,
            message: process.explanations[0] ?? '',
            evidence: process.evidence.find((e) => e.signal === process.decidedBy),
          },
        ]
      : []),
    ...counts.map((c) => ({
      key: `${c.modelKey}/${c.kind}`,
      modelKey: c.modelKey,
      label: c.label,
      verdict: COUNT_VERDICT_WEIGHT[c.verdict],
      message: c.message,
      countKind: c.kind,
    })),
  ];
}

/** Why an accepted leak fails: faster than the baseline's, or the baseline has no figure to hold it to. */
function acceptedLeakNotHeld(metric: string | null, comparison: Comparison | undefined): string {
  if (comparison?.status === 'fail') return ' — more than the accepted baseline leak';
  const figure = metric ?? 'a leak figure';
  if (comparison?.status === 'not-measured') return ` — accepted, but this run measured no ${figure} to hold it to`;
  return ` — accepted, but the baseline has no ${figure} to hold it to (npx leakgate baseline update --accept "REASON" records it)`;
}

/** The baseline key of the whole process's verdict. */
const PROCESS_KEY = 'process';

/**
 * The gate: fails on an engine failure; on a `leak` or `undecided` verdict (a model's, the process's
 * or a count's) that the baseline does not accept (no baseline: nothing is accepted); and on any
 * metric past its tolerance. Throws a usage error when the baseline belongs to another scenario,
 * platform or model set.
 */
export function evaluateGate(results: RunResults, analysis: Analysis, baseline: Baseline | null, baselineFile = 'baseline'): GateOutcome {
  if (baseline) assertSameSetup(results, baseline, baselineFile);
  const labels = new Map(results.models.map((model) => [model.key, model.label]));
  const violations: Violation[] = [];

  // How the run ended: a failure the baseline accepts (a known failure) passes, any other fails; a
  // --fail-fast stop is listed below with the count verdicts themselves (see runEndViolation).
  const failure = judgeFailure(results.failure, baseline, baselineFile);
  if (failure.status === 'gone') violations.push({ kind: 'known-failure-gone', modelKey: null, label: 'run', message: failure.line });
  const unfinished = failure.status === 'known' ? null : runEndViolation(results, labels);
  if (unfinished) violations.push(failure.status === 'unexpected' ? { ...unfinished, message: failure.line } : unfinished);

  const comparisons = compareMetrics(results, analysis, baseline, labels);
  const acceptances: string[] = [];
  for (const judged of judgedVerdicts(analysis)) {
    if (judged.verdict !== 'leak' && judged.verdict !== 'undecided') continue;
    const isModel = judged.key === judged.modelKey;
    const counted = !isModel && judged.key !== PROCESS_KEY;
    const metric = judged.countKind
      ? countLeakMetricName(judged.countKind)
      : judged.evidence
        ? leakMetricName(isModel ? 'model' : 'run', judged.evidence.signal)
        : null;
    const comparison = metric === null ? undefined : comparisons.find((c) => c.modelKey === judged.modelKey && c.metric === metric);
    const accepted = Boolean(baseline?.accepted) && baseline!.verdicts[judged.key] === judged.verdict;
    // An accepted leak holds only while it grows no faster than the baseline measured: shown by its
    // deciding signal's (or its count's) metric, never assumed when the baseline has no figure for it.
    if (accepted && (judged.verdict === 'undecided' || comparison?.status === 'pass')) {
      const within = comparison ? `, ${comparison.metric} ${format(comparison.measured)} within ${format(comparison.baseline)}` : '';
      acceptances.push(`${judged.label} ${judged.verdict}: accepted in the baseline (${baseline!.accepted!.reason})${within}`);
      continue;
    }
    // A leak made only of engine sites the baseline accepts, each within its rate (the process: all models' sites).
    const sites = isModel ? analysis.engineSites.filter((s) => s.modelKey === judged.modelKey) : analysis.engineSites;
    if (leakOfAcceptedSites(judged.evidence, sites, baseline?.acceptedEngineSites ?? [])) {
      const named = sites.flatMap((model) => model.sites).map((site) => `${site.function} +${formatBytes(site.bytesPerSwitch)}/switch`);
      acceptances.push(`${judged.label} leak: made only of the baseline's accepted engine sites (${named.join(', ')})`);
      continue;
    }
    violations.push({
      kind: judged.verdict === 'undecided' ? 'undecided' : counted ? 'count' : 'leak',
      modelKey: judged.modelKey,
      label: judged.label,
      message:
        (judged.verdict === 'undecided'
          ? `${judged.label} is undecided, not proven clean: ${judged.message}`
          : counted
            ? judged.message
            : `${judged.label} leaks: ${judged.message}`) + (accepted ? acceptedLeakNotHeld(metric, comparison) : ''),
      evidence: judged.evidence,
      comparison,
    });
  }
  // Every metric past its tolerance, the leak metrics last: one a verdict above already reports is not
  // repeated, but a leak metric regressing without a leak verdict (e.g. growth hidden in noise) still fails.
  const failed = comparisons.filter((c) => c.status === 'fail');
  for (const comparison of [...failed.filter((c) => !isLeakMetric(c)), ...failed.filter(isLeakMetric)]) {
    if (violations.some((v) => v.comparison === comparison)) continue;
    const unit = isLeakMetric(comparison) ? ' B/switch' : '';
    violations.push({
      kind: 'regression',
      modelKey: comparison.modelKey,
      label: comparison.label,
      message:
        `${comparison.label} ${comparison.metric} regressed: ${format(comparison.measured)}${unit} vs baseline ` +
        `${format(comparison.baseline)} (allowed ${comparison.worse === 'bigger' ? '+' : '-'}${format(comparison.allowed)})`,
      comparison,
    });
  }
  // A leak figure the baseline holds and this run did not measure (the allocation ledger off, not built
  // or out of room; a signal gone): the leak it holds is not shown absent, which is no pass.
  for (const comparison of comparisons.filter((c) => c.status === 'not-measured' && c.baseline !== null && isLeakFigure(c))) {
    if (violations.some((v) => v.comparison === comparison)) continue;
    violations.push({
      kind: 'undecided',
      modelKey: comparison.modelKey,
      label: comparison.label,
      message:
        `${comparison.label} ${comparison.metric} was not measured by this run, and the baseline holds it ` +
        `(${format(comparison.baseline)}): not shown to hold ` +
        '(the allocation ledger off with LEAKGATE_LEDGER=0, not built, or out of room?)',
      comparison,
    });
  }
  return { passed: violations.length === 0, violations, acceptances, comparisons, baseline, failure };
}

/** A figure of a leak's rate: per switch, per iteration, or a count's. */
const isLeakFigure = (comparison: Comparison): boolean => comparison.metric.startsWith('leak');

/**
 * The gate passes only a run that ended as planned: the one place that turns how a run ended into a
 * violation. A failure (crash, hang, engine error, interrupt, termination, a results write that failed)
 * fails the gate; so does a run still marked `running` (its process was killed before it could say why)
 * or one that stopped short of its planned iterations. A --fail-fast stop (`unload-check`) is listed
 * by the count verdicts themselves.
 */
function runEndViolation(results: RunResults, labels: Map<string, string>): Violation | null {
  const { failure } = results;
  if (failure) {
    if (isFailFastStop(failure)) return null;
    return { kind: 'failure', modelKey: failure.modelKey, label: labels.get(failure.modelKey ?? '') ?? '-', message: failure.message };
  }
  const completed = completedIterations(results);
  if (results.status !== 'complete') {
    return {
      kind: 'incomplete',
      modelKey: null,
      label: 'run',
      message:
        `the run did not finish (status ${results.status}, ${completed} of ${results.iterationsPlanned} iterations measured, no ` +
        `failure recorded: its process was killed or is still running); nothing unjudged passes — rerun it`,
    };
  }
  if (completed < results.iterationsPlanned) {
    return {
      kind: 'incomplete',
      modelKey: null,
      label: 'run',
      message: `the run is marked complete but holds ${completed} of ${results.iterationsPlanned} planned iterations — rerun it`,
    };
  }
  const unconfirmed = unconfirmedStop(results);
  if (unconfirmed)
    return {
      kind: 'undecided',
      modelKey: null,
      label: 'run',
      message: `${unconfirmed}: not confirmed, no pass — rerun with a larger --max-iterations`,
    };
  return null;
}

/**
 * "the run reached its maximum of 12 iterations before its verdicts held for 5 in a row (held 1)" when an
 * until-decided run stopped at its cap on verdicts not yet confirmed (no pass, no baseline); else null.
 */
export function unconfirmedStop(results: RunResults): string | null {
  const stopping = results.stopping;
  const held = stopping?.heldIterations;
  if (stopping?.rule !== 'until-decided' || typeof held !== 'number' || stopping.confirmIterations === null) return null;
  if (held >= stopping.confirmIterations) return null;
  const { maxIterations, confirmIterations } = stopping;
  return (
    `the run reached its maximum of ${maxIterations} iterations before its verdicts held for ${confirmIterations} in a row` +
    ` (held ${held})`
  );
}

function compareMetrics(results: RunResults, analysis: Analysis, baseline: Baseline | null, labels: Map<string, string>): Comparison[] {
  const source = { results, summary: analysis.summary, judgement: analysis.judgement };
  const comparisons: Comparison[] = [];
  for (const metric of METRICS) {
    const tolerance = baseline?.tolerances[metric.name] ?? { ...metric.defaultTolerance, worse: metric.worse };
    for (const modelKey of metric.scope === 'model' ? results.models.map((m) => m.key) : [null]) {
      const key = metricKey(metric, modelKey);
      const measured = metric.measure(source, modelKey);
      const base = baseline?.metrics[key] ?? null;
      const allowed = base === null ? null : Math.max(tolerance.absolute, tolerance.relative * Math.abs(base));
      let status: Comparison['status'] = 'pass';
      if (measured === null) status = 'not-measured';
      else if (base === null || allowed === null) status = 'no-baseline';
      else if (tolerance.worse === 'bigger' ? measured > base + allowed : measured < base - allowed) status = 'fail';
      comparisons.push({
        key,
        metric: metric.name,
        modelKey,
        label: modelKey === null ? 'run' : (labels.get(modelKey) ?? modelKey),
        worse: tolerance.worse,
        baseline: base,
        measured,
        allowed,
        ratio: base !== null && measured !== null && base !== 0 ? measured / base : null,
        status,
      });
    }
  }
  return comparisons;
}

function assertSameSetup(results: RunResults, baseline: Baseline, file: string): void {
  const fix = '(pass --baseline for the right file, or write this one with npx leakgate baseline update)';
  if (baseline.scenario !== results.scenario)
    throw usageError(`${file} is for scenario ${baseline.scenario}, the run is ${results.scenario} ${fix}`);
  const engine = baselineEngine(results.engine);
  if (baseline.engine !== engine) throw usageError(`${file}: engine is "${baseline.engine}", the run's engine is "${engine}" ${fix}`);
  if (baseline.platform !== PLATFORM) throw usageError(`${file} is for platform ${baseline.platform}, this machine is ${PLATFORM} ${fix}`);
  const runSet = results.models.map((m) => `${m.key}:${m.sha256Prefix}`).join(',');
  const baseSet = baseline.models.map((m) => `${m.key}:${m.sha256Prefix}`).join(',');
  if (runSet !== baseSet) {
    throw usageError(
      `${file} was taken on another model set (${baseline.models.map((m) => `${m.label} ${m.sha256Prefix}`).join(', ')}) ${fix}`,
    );
  }
}

const isLeakMetric = (comparison: Comparison): boolean => comparison.metric.startsWith('leakBytesPerSwitch.');

const format = (value: number | null): string =>
  value === null ? 'n/a' : Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
