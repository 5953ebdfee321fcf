import { checkUnload } from '../analysis/checkUnload.js';
import type { UnloadFinding } from '../analysis/checks/UnloadCheck.js';
import { fromRunResults } from '../analysis/fromRunResults.js';
import { judgeRun, type RunJudgement } from '../analysis/judgeRun.js';
import type { RunResults } from '../results/RunResults.js';
import { summarizeRun, type RunSummary } from '../results/summarizeRun.js';

/** Everything the reports and the gate read from one run. */
export interface Analysis {
  summary: RunSummary;
  judgement: RunJudgement;
  /** What destroy left behind (mappings, fds, threads); restart cycles keep their model loaded, so they are not checked. */
  unloadFindings: UnloadFinding[];
}

/** Judges a run: verdicts with evidence per model, unload checks, summary figures. */
export function analyzeResults(results: RunResults): Analysis {
  return {
    summary: summarizeRun(results),
    judgement: judgeRun(fromRunResults(results)),
    unloadFindings: results.records.filter((r) => r.unloadStep === 'destroy').flatMap((r) => checkUnload(r)),
  };
}
