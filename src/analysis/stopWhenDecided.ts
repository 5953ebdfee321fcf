import type { RunResults, StopRule } from '../results/RunResults.js';
import { decideStop, type StopDecision, type StopStreak } from './decideStop.js';
import { fromRunResults, processLevels } from './fromRunResults.js';
import { judgeCounts } from './judgeCounts.js';
import { judgeRun } from './judgeRun.js';

/**
 * The stop rule of an until-decided run, for measureRun's afterIteration: judges the switches measured
 * so far as a finished run would be judged (models, process, counts) and asks decideStop, carrying its
 * streak from one iteration to the next.
 */
export function stopWhenDecided(rule: StopRule): (results: RunResults, iterationsDone: number) => StopDecision {
  let streak: StopStreak | null = null;
  return (results, iterationsDone) => {
    // Not analyzeResults: a run in progress is `running`, which it would judge as stopped early (never clean).
    const judgement = judgeRun(fromRunResults(results), {
      process: processLevels(results),
      counts: judgeCounts(results),
      stoppedEarly: null,
    });
    const decision = decideStop(judgement, iterationsDone, streak, rule);
    streak = decision.streak;
    return decision;
  };
}
