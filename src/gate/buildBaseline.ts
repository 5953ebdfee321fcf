import { cpus, totalmem, type as osType, release } from 'node:os';
import type { RunResults } from '../results/RunResults.js';
import type { Analysis } from '../analysis/analyzeResults.js';
import { BASELINE_SCHEMA, baselineEngine, type Baseline } from './Baseline.js';
import { PLATFORM } from '../system/platform.js';
import { judgedVerdicts } from './evaluateGate.js';
import { METRICS, metricKey } from './metrics.js';

/** Rounds to what a reviewer can read in a diff: whole bytes, else three decimals. */
const round = (name: string, value: number): number => (name.includes('Bytes') ? Math.round(value) : Math.round(value * 1000) / 1000);

/** The baseline a run would write: its metrics, the default tolerances and its provenance. */
export function buildBaseline(results: RunResults, analysis: Analysis, accepted: Baseline['accepted'], now = new Date()): Baseline {
  const metrics: Record<string, number> = {};
  const source = { results, summary: analysis.summary, judgement: analysis.judgement };
  // A model with no complete switch (the run failed first) measured nothing: a 0 would be a baseline to fail against.
  const measuredModels = results.models.filter((model) => results.records.some((record) => record.modelKey === model.key));
  for (const metric of METRICS) {
    const keys = metric.scope === 'model' ? measuredModels.map((model) => model.key) : [null];
    for (const modelKey of keys) {
      const value = metric.measure(source, modelKey);
      if (value !== null && Number.isFinite(value)) metrics[metricKey(metric, modelKey)] = round(metric.name, value);
    }
  }
  return {
    schema: BASELINE_SCHEMA,
    scenario: results.scenario,
    engine: baselineEngine(results.engine),
    platform: PLATFORM,
    models: results.models.map(({ key, label, kind, sizeBytes, sha256Prefix }) => ({ key, label, kind, sizeBytes, sha256Prefix })),
    metrics,
    tolerances: Object.fromEntries(METRICS.map((metric) => [metric.name, { ...metric.defaultTolerance, worse: metric.worse }])),
    verdicts: Object.fromEntries(judgedVerdicts(analysis).map((judged) => [judged.key, judged.verdict])),
    accepted,
    provenance: {
      engineSha256: results.engine.sha256,
      chatllmCommit: results.engine.chatllmCommit,
      iterations: analysis.summary.iterations,
      machine: {
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        cores: cpus().length,
        memoryBytes: totalmem(),
        os: `${osType()} ${release()}`,
        node: process.version,
      },
      date: now.toISOString(),
      leakgateVersion: results.leakgateVersion,
      ...(results.engine.patches?.length ? { patches: results.engine.patches } : {}),
      ...(results.config.mmapThresholdBytes !== undefined ? { mmapThresholdBytes: results.config.mmapThresholdBytes } : {}),
    },
  };
}
