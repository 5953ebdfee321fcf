import { fromRunResults, processLevels } from '../analysis/fromRunResults.js';
import { judgeCounts } from '../analysis/judgeCounts.js';
import { judgeRun, type RunJudgement } from '../analysis/judgeRun.js';
import { engineSiteGrowth, type ModelEngineSites } from '../analysis/engineSiteGrowth.js';
import type { ModelSeries, ProcessLevels } from '../analysis/Signal.js';
import type { RunResults } from '../results/RunResults.js';
import { summarizeRun, type RunSummary } from '../results/summarizeRun.js';

/** Everything the reports and the gate read from one run. */
export interface Analysis {
  summary: RunSummary;
  /** Verdicts of the models, the process and the counts (fds, threads, mappings), with evidence. */
  judgement: RunJudgement;
  /** The series each model's verdict read (reports draw exactly these). */
  series: ModelSeries[];
  /** The process's levels per iteration, which its verdict read. */
  processLevels: ProcessLevels;
  /** Per model, the engine's allocation sites that grow per switch (the allocation ledger; empty without it). */
  engineSites: ModelEngineSites[];
}

/** Judges a run: verdicts with evidence per model, for the process and for the counts; summary figures. */
export function analyzeResults(results: RunResults): Analysis {
  const series = fromRunResults(results);
  const levels = processLevels(results);
  const stoppedEarly = results.failure ? results.failure.message : results.status === 'running' ? 'the results file was never finished' : null;
  const judgement = judgeRun(series, { process: levels, counts: judgeCounts(results), stoppedEarly });
  return {
    summary: summarizeRun(results),
    series,
    processLevels: levels,
    judgement,
    engineSites: engineSiteGrowth(results, judgement.models),
  };
}
