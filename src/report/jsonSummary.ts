import type { RunResults } from '../results/RunResults.js';
import { completedIterations } from '../results/resultsFile.js';
import { summarizeRun } from '../results/summarizeRun.js';

/** The machine-readable summary `--json` prints: stable names, later fields are only added. */
export function jsonSummary(results: RunResults): Record<string, unknown> {
  const summary = summarizeRun(results);
  return {
    iterations: completedIterations(results),
    scenario: results.scenario,
    status: results.status,
    failure: results.failure,
    engine: { path: results.engine.path, sha256: results.engine.sha256, reference: results.engine.reference },
    models: results.models.map((model) => {
      const m = summary.models.find((s) => s.modelKey === model.key)!;
      return {
        key: model.key,
        label: model.label,
        path: model.path,
        kind: model.kind,
        meanNetLeakBytes: m.meanNetLeakBytes,
        ttftMs: m.ttftMs.mean,
        charsPerSecond: m.charsPerSecond.mean,
        werPercent: m.werPercent.mean,
        transcript: m.lastTranscript,
      };
    }),
  };
}
