import type { SignalEvidence } from '../analysis/SignalEvidence.js';
import { usageError } from '../errors.js';
import type { RunResults } from '../results/RunResults.js';
import type { Analysis } from './analyzeResults.js';
import type { Baseline } from './Baseline.js';
import { judgeFailure, type FailureJudgement } from './judgeFailure.js';
import { METRICS, metricKey } from './metrics.js';

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
  kind: 'failure' | 'known-failure-gone' | 'leak' | 'unload-check' | 'regression';
  modelKey: string | null;
  label: string;
  message: string;
  evidence?: SignalEvidence;
  comparison?: Comparison;
}

export interface GateOutcome {
  passed: boolean;
  violations: Violation[];
  comparisons: Comparison[];
  baseline: Baseline | null;
  /** How the run ended against the baseline's accepted failure (see judgeFailure). */
  failure: FailureJudgement;
}

/**
 * The gate: fails on an engine failure, on any unload finding, on a `leak` verdict the baseline does
 * not tolerate (no baseline: nothing is tolerated), and on any metric past its tolerance.
 * Throws a usage error when the baseline belongs to another scenario, platform or model set.
 */
export function evaluateGate(results: RunResults, analysis: Analysis, baseline: Baseline | null, baselineFile = 'baseline'): GateOutcome {
  if (baseline) assertSameSetup(results, baseline, baselineFile);
  const labels = new Map(results.models.map((model) => [model.key, model.label]));
  const violations: Violation[] = [];

  // An unload-check failure is listed below with the findings themselves; a known failure passes.
  const failure = judgeFailure(results.failure, baseline, baselineFile);
  if (failure.status === 'unexpected') {
    violations.push({ kind: 'failure', modelKey: failure.failure.modelKey, label: labels.get(failure.failure.modelKey ?? '') ?? '-', message: failure.line });
  } else if (failure.status === 'gone') {
    violations.push({ kind: 'known-failure-gone', modelKey: null, label: 'run', message: failure.line });
  } else if (results.failure?.kind === 'interrupted') {
    violations.push({ kind: 'failure', modelKey: results.failure.modelKey, label: labels.get(results.failure.modelKey ?? '') ?? '-', message: results.failure.message });
  }
  for (const finding of analysis.unloadFindings) {
    const label = labels.get(finding.modelKey) ?? finding.modelKey;
    violations.push({ kind: 'unload-check', modelKey: finding.modelKey, label, message: `${label}, iteration ${finding.iteration}: ${finding.message}` });
  }

  const comparisons = compareMetrics(results, analysis, baseline, labels);
  for (const model of analysis.judgement.models) {
    if (model.verdict !== 'leak') continue;
    const evidence = model.evidence.find((e) => e.signal === model.decidedBy);
    const comparison = comparisons.find((c) => c.modelKey === model.modelKey && c.metric === `leakBytesPerSwitch.${model.decidedBy}`);
    const tolerated = baseline?.accepted && baseline.verdicts[model.modelKey] === 'leak' && comparison?.status === 'pass';
    if (tolerated) continue;
    violations.push({
      kind: 'leak',
      modelKey: model.modelKey,
      label: model.label,
      message: `${model.label} leaks: ${model.explanations[0] ?? `verdict leak on ${model.decidedBy}`}` +
        (baseline?.accepted && baseline.verdicts[model.modelKey] === 'leak' ? ' — more than the accepted baseline leak' : ''),
      evidence,
      comparison,
    });
  }
  for (const comparison of comparisons) {
    if (comparison.status !== 'fail' || comparison.metric.startsWith('leakBytesPerSwitch.')) continue;
    violations.push({
      kind: 'regression',
      modelKey: comparison.modelKey,
      label: comparison.label,
      message: `${comparison.label} ${comparison.metric} regressed: ${format(comparison.measured)} vs baseline ${format(comparison.baseline)} (allowed ${comparison.worse === 'bigger' ? '+' : '-'}${format(comparison.allowed)})`,
      comparison,
    });
  }
  // A leak metric regressing past tolerance without a leak verdict (e.g. growth hidden in noise) still fails.
  for (const comparison of comparisons) {
    if (comparison.status !== 'fail' || !comparison.metric.startsWith('leakBytesPerSwitch.')) continue;
    if (violations.some((v) => v.comparison === comparison)) continue;
    violations.push({
      kind: 'regression',
      modelKey: comparison.modelKey,
      label: comparison.label,
      message: `${comparison.label} ${comparison.metric} regressed: ${format(comparison.measured)} B/switch vs baseline ${format(comparison.baseline)} (allowed +${format(comparison.allowed)})`,
      comparison,
    });
  }
  return { passed: violations.length === 0, violations, comparisons, baseline, failure };
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
        label: modelKey === null ? 'run' : labels.get(modelKey) ?? modelKey,
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
  const fix = '(pass --baseline for the right file, or write this one with npm run baseline:update)';
  const platform = `${process.platform}-${process.arch}`;
  if (baseline.scenario !== results.scenario) throw usageError(`${file} is for scenario ${baseline.scenario}, the run is ${results.scenario} ${fix}`);
  if (baseline.platform !== platform) throw usageError(`${file} is for platform ${baseline.platform}, this machine is ${platform} ${fix}`);
  const runSet = results.models.map((m) => `${m.key}:${m.sha256Prefix}`).join(',');
  const baseSet = baseline.models.map((m) => `${m.key}:${m.sha256Prefix}`).join(',');
  if (runSet !== baseSet) {
    throw usageError(`${file} was taken on another model set (${baseline.models.map((m) => `${m.label} ${m.sha256Prefix}`).join(', ')}) ${fix}`);
  }
}

const format = (value: number | null): string =>
  value === null ? 'n/a' : Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
