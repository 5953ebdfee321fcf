/**
 * leakgate's public API (`import { run } from 'leakgate'`): the pipelines, one per verb, with their
 * options and outcomes. Re-exports only: each pipeline lives in its own module, and everything not
 * exported here is free to move. The vitest helpers are `leakgate/vitest` (src/vitest/index.ts).
 */

// run: measure the scenario in a worker, analyse, gate against the baseline, report.
export { run, type GateOptions, type RunOutcome } from './pipelines/run.js';
export type { LeakgateIO } from './LeakgateIO.js';
export type { RunOptions } from './config/RunOptions.js';
export type { ReporterName } from './report/reporters.js';

// compare: base and head engines interleaved, head judged against base.
export { compare, type CompareOptions, type CompareRunOutcome, type SideName } from './pipelines/compare.js';
export type { CompareOutcome, CompareRow, FailureChange, Side } from './compare/compareRuns.js';

// attribute: the allocation sites that grow, under heaptrack.
export { attribute, type AttributeOptions } from './pipelines/attribute.js';
export type { Attribution } from './results/Attribution.js';

// baseline update: measure and write the baseline (what `npx leakgate baseline update` runs).
export { updateBaseline } from './pipelines/updateBaseline.js';

// analyze and judge: a results file -> verdicts -> the gate.
export { judge, analyze, gate } from './pipelines/judge.js';
export { readResultsFile, readLeakgateResults, type ResultsFile } from './pipelines/readResultsFile.js';
export { analyzeResults, type Analysis } from './analysis/analyzeResults.js';
export { evaluateGate, type GateOutcome, type Comparison, type Violation, type JudgedVerdict } from './gate/evaluateGate.js';
export { judgeRun, type RunJudgement, type ProcessJudgement } from './analysis/judgeRun.js';
export { VERDICTS, type Verdict } from './analysis/Verdict.js';
export { formatGate } from './report/formatGate.js';
export type { RunResults, RunFailure, ModelIteration, ModelInfo, EngineInfo } from './results/RunResults.js';

// baselines: where they live (the user's project), read, build from a run, write.
export { DEFAULT_BASELINES_DIR, resolveBaselinesDir, baselinePath } from './gate/baselinePath.js';
export { readBaseline } from './gate/readBaseline.js';
export { buildBaseline } from './gate/buildBaseline.js';
export { writeBaseline } from './gate/writeBaseline.js';
export type { Baseline, AcceptedFailure } from './gate/Baseline.js';
export { METRICS, type Metric, type Tolerance } from './gate/metrics.js';

// errors: every failure leakgate raises on purpose is a LeakgateError with an exit code.
export { LeakgateError, ExitCode, type ExitCodeValue } from './errors.js';
export { LEAKGATE_VERSION } from './leakgatePackage.js';
