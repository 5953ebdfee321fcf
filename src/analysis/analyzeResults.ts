import { allocatorRetention, type AllocatorRetention } from './allocatorRetention.js';
import { engineSiteGrowth, type ModelEngineSites } from './engineSiteGrowth.js';
import { nameOutsideMallocLeaks } from './nameOutsideMallocLeaks.js';
import { fromRunResults, processLevels } from './fromRunResults.js';
import { judgeCounts } from './judgeCounts.js';
import { judgeRun, type RunJudgement } from './judgeRun.js';
import type { ModelSeries, ProcessLevels } from './Signal.js';
import type { RunResults } from '../results/RunResults.js';
import { summarizeRun, type RunSummary } from '../results/summarizeRun.js';
import { uncountedEngineAllocations } from './uncountedEngineAllocations.js';

/** Everything the reports and the gate read from one run. */
export interface Analysis {
  summary: RunSummary;
  /** Verdicts of the models, the process and the counts (fds, threads, mappings), with evidence. */
  judgement: RunJudgement;
  /** The series each model's verdict read (reports draw exactly these). */
  series: ModelSeries[];
  /** The process's levels per iteration, which its verdict read. */
  processLevels: ProcessLevels;
  /** What the allocator keeps after unload and what malloc_trim(0) gave back, whatever the verdict. */
  retention: AllocatorRetention;
  /** Per model, the engine's allocation sites that grow per switch (the allocation ledger; empty without it). */
  engineSites: ModelEngineSites[];
  /** Engine allocations the ledger could not record (its tables filled): above 0, the engine heap was not judged. */
  uncountedEngineAllocations: number;
}

/** Judges a run: verdicts with evidence per model, for the process and for the counts; summary figures. */
export function analyzeResults(results: RunResults): Analysis {
  const series = fromRunResults(results);
  const levels = processLevels(results);
  const stoppedEarly = results.failure
    ? results.failure.message
    : results.status === 'running'
      ? 'the results file was never finished'
      : null;
  const judgement = nameOutsideMallocLeaks(
    judgeRun(series, { process: levels, counts: judgeCounts(results), stoppedEarly }),
    results.records,
  );
  return {
    summary: summarizeRun(results),
    series,
    processLevels: levels,
    judgement,
    retention: allocatorRetention(results),
    engineSites: engineSiteGrowth(results, judgement.models),
    uncountedEngineAllocations: uncountedEngineAllocations(results.records),
  };
}
