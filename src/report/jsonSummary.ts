import type { ModelJudgement } from '../analysis/judgeModel.js';
import type { RunJudgement } from '../analysis/judgeRun.js';
import type { Analysis } from '../analysis/analyzeResults.js';
import type { GateOutcome } from '../gate/evaluateGate.js';
import type { RunResults } from '../results/RunResults.js';
import { completedIterations } from '../results/resultsFile.js';

/** A model's verdict as `--json` prints it. */
function jsonModelVerdict(model: ModelJudgement): Record<string, unknown> {
  const evidence = model.evidence.find((e) => e.signal === model.decidedBy);
  return {
    verdict: model.verdict,
    signal: model.decidedBy,
    slopeBytesPerSwitch: evidence?.slopeBytesPerSwitch ?? null,
    ci95Bytes: evidence?.ci95Bytes ?? null,
    warmupSwitches: evidence?.warmupSwitches ?? null,
    switchesUsed: evidence?.switchesUsed ?? null,
    floorBytesPerSwitch: evidence?.floorBytesPerSwitch ?? null,
    insufficientData: model.insufficientData,
    explanations: model.explanations,
    signals: model.evidence,
  };
}

/** The verdict part of a JSON summary (shared by run, analyze on leakgate files and analyze on seed files). */
export function jsonVerdict(judgement: RunJudgement): { verdict: string; byModel: Map<string, Record<string, unknown>> } {
  return { verdict: judgement.verdict, byModel: new Map(judgement.models.map((m) => [m.modelKey, jsonModelVerdict(m)])) };
}

/** The machine-readable summary `--json` prints: stable names, later fields are only added. */
export function jsonSummary(results: RunResults, analysis: Analysis, gate: GateOutcome | null): Record<string, unknown> {
  const { verdict, byModel } = jsonVerdict(analysis.judgement);
  return {
    iterations: completedIterations(results),
    /** How the run's length was chosen and why it stopped; null in files written before leakgate recorded it. */
    stopping: results.stopping ?? null,
    scenario: results.scenario,
    status: results.status,
    failure: results.failure,
    engine: {
      path: results.engine.path,
      sha256: results.engine.sha256,
      reference: results.engine.reference,
      chatllmCommit: results.engine.chatllmCommit,
    },
    verdict,
    models: results.models.map((model) => {
      const m = analysis.summary.models.find((s) => s.modelKey === model.key)!;
      return {
        key: model.key,
        label: model.label,
        path: model.path,
        kind: model.kind,
        meanNetLeakBytes: m.meanNetLeakBytes,
        ttftMs: m.ttftMs.mean,
        ttftMsStdDev: m.ttftMs.stdDev,
        charsPerSecond: m.charsPerSecond.mean,
        werPercent: m.werPercent.mean,
        emptyTranscripts: m.emptyTranscripts,
        transcript: m.lastTranscript,
        verdict: byModel.get(model.key) ?? null,
        engineSites: analysis.engineSites.find((s) => s.modelKey === model.key)?.sites ?? [],
      };
    }),
    process: analysis.judgement.process,
    counts: analysis.judgement.counts,
    allocatorRetention: analysis.retention,
    /** Engine allocations the allocation ledger could not record (its tables filled): above 0, the engine heap was not judged. */
    uncountedEngineAllocations: analysis.uncountedEngineAllocations,
    gate: gate && {
      passed: gate.passed,
      knownFailure: gate.failure.status === 'known' ? gate.failure.line : null,
      violations: gate.violations.map(({ kind, modelKey, label, message, comparison }) => ({
        kind,
        modelKey,
        label,
        message,
        comparison: comparison ?? null,
      })),
    },
  };
}
