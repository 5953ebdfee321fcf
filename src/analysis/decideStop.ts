import type { StopRule } from '../results/RunResults.js';
import type { RunJudgement } from './judgeRun.js';

/** The part of a run's judgement the stop rule reads: every verdict, and whether any is undecided. */
export type JudgementSoFar = Pick<RunJudgement, 'insufficientData' | 'models' | 'process' | 'counts'>;

/** What decideStop carries from one iteration to the next: the decided verdicts, and since which iteration they hold. */
export interface StopStreak {
  /** The decided verdicts in words, e.g. "0.6B leak, 1.7B leak, process leak". */
  verdicts: string;
  /** The first iteration of the streak. */
  sinceIteration: number;
}

export interface StopDecision {
  stop: boolean;
  /** Why the run stops, or what it still waits for (one line). */
  reason: string;
  /** Carry into the next call; null while something is undecided. */
  streak: StopStreak | null;
  /** Iterations in a row the decided verdicts have held (at most rule.confirmIterations); null while something is undecided. */
  held: number | null;
}

/** A model's undecided verdict may say how many more switches would decide it (absent from older judgements). */
type MaybeMoreSwitches = { moreSwitchesNeeded?: number | null };

/**
 * Whether an until-decided run stops after `iterationsDone` iterations (pure: the streak so far comes in,
 * the next goes out). It stops when every verdict — each model's, the process's, every count's — is
 * decided (none `undecided`) and the same decided verdicts have held at `rule.confirmIterations`
 * iterations in a row; or at `rule.maxIterations`, decided or not.
 *
 * Why the confirmation: the verdict tests keep their error rates for one look at a series, and a run that
 * looks after every iteration and stops at the first decision would stop on the first chance crossing
 * (sequential testing). Requiring the decision to hold at several looks in a row lets a chance crossing
 * fall back, and lets a rise that stopped (a plateau, which stays a `leak` until level for 3 switches)
 * show that it stopped. scripts/sensitivity.ts measures what is left of the error rates.
 */
export function decideStop(judgement: JudgementSoFar, iterationsDone: number, streak: StopStreak | null, rule: StopRule): StopDecision {
  const confirm = rule.confirmIterations ?? 1;
  const atMaximum = iterationsDone >= rule.maxIterations;
  const undecided = undecidedParts(judgement);
  if (undecided.length > 0) {
    const waiting = `undecided: ${undecided.join('; ')}`;
    return atMaximum
      ? { stop: true, reason: `reached the maximum of ${rule.maxIterations} iterations: ${waiting}`, streak: null, held: null }
      : { stop: false, reason: waiting, streak: null, held: null };
  }
  const verdicts = decidedVerdicts(judgement);
  const next: StopStreak = streak?.verdicts === verdicts ? streak : { verdicts, sinceIteration: iterationsDone };
  const held = iterationsDone - next.sinceIteration + 1;
  if (held >= confirm)
    return { stop: true, reason: `decided after ${iterationsDone} iterations: ${verdicts}`, streak: next, held: confirm };
  const holding = `${verdicts}, held ${held} of the ${confirm} iterations that confirm it`;
  return atMaximum
    ? { stop: true, reason: `reached the maximum of ${rule.maxIterations} iterations: ${holding}`, streak: next, held }
    : { stop: false, reason: holding, streak: next, held };
}

/** What is still undecided, each with how many more switches would decide it when known. */
function undecidedParts(judgement: JudgementSoFar): string[] {
  const more = (n: number | null | undefined): string => (n ? ` (${n} more switch${n === 1 ? '' : 'es'})` : '');
  const parts = judgement.models
    .filter((m) => m.verdict === 'undecided' || m.insufficientData)
    .map((m) => `${m.label}${more((m as MaybeMoreSwitches).moreSwitchesNeeded)}`);
  if (judgement.process?.verdict === 'undecided') parts.push(`process${more((judgement.process as MaybeMoreSwitches).moreSwitchesNeeded)}`);
  for (const c of judgement.counts) if (c.verdict === 'undecided') parts.push(`${c.label} ${c.kind}s${more(c.moreSwitchesNeeded)}`);
  // A judgement that says so without naming what (nothing judged at all) is undecided too.
  if (parts.length === 0 && judgement.insufficientData) parts.push('nothing judged yet');
  return parts;
}

/** "0.6B leak, 1.7B leak, process leak, 0.6B fd leak": the models, the process, and the counts that are not clean. */
function decidedVerdicts(judgement: JudgementSoFar): string {
  const parts = judgement.models.map((m) => `${m.label} ${m.verdict}`);
  if (judgement.process) parts.push(`process ${judgement.process.verdict}`);
  for (const c of judgement.counts) if (c.verdict !== 'clean') parts.push(`${c.label} ${c.kind} ${c.verdict}`);
  return parts.join(', ');
}
