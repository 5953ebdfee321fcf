import { describe, expect, it } from 'vitest';
import { decideStop, type JudgementSoFar, type StopStreak } from '../../../src/analysis/decideStop.js';
import type { CountFinding } from '../../../src/analysis/judgeCounts.js';
import type { ModelJudgement } from '../../../src/analysis/judgeModel.js';
import { judgeRun } from '../../../src/analysis/judgeRun.js';
import type { ModelSeries } from '../../../src/analysis/Signal.js';
import type { Verdict } from '../../../src/analysis/Verdict.js';
import type { StopRule } from '../../../src/results/RunResults.js';
import { MIB } from '../../../src/units.js';
import { CONFIRM_ITERATIONS } from '../../../src/config/resolveRunConfig.js';

const rule: StopRule = { rule: 'until-decided', maxIterations: 20, confirmIterations: 3 };

const model = (label: string, verdict: Verdict, moreSwitchesNeeded?: number): ModelJudgement =>
  ({
    modelKey: label,
    label,
    verdict,
    decidedBy: 'heapInUse',
    insufficientData: verdict === 'undecided',
    evidence: [],
    explanations: [],
    ...(moreSwitchesNeeded ? { moreSwitchesNeeded } : {}),
  }) as ModelJudgement;
const count = (label: string, verdict: CountFinding['verdict'], moreSwitchesNeeded: number | null = null): CountFinding => ({
  kind: 'fd',
  modelKey: label,
  label,
  verdict,
  perSwitch: 0,
  growth: 0,
  switches: 5,
  firstIteration: null,
  leftBehind: [],
  moreSwitchesNeeded,
  message: '',
});
const judgement = (models: ModelJudgement[], counts: CountFinding[] = [], process: Verdict | null = null): JudgementSoFar => ({
  models,
  counts,
  process: process === null ? null : { verdict: process, decidedBy: 'heapInUse', evidence: [], explanations: [] },
  insufficientData: [...models.map((m) => m.verdict), process, ...counts.map((c) => c.verdict)].includes('undecided'),
});

/** Feeds the judgements of iterations 1, 2, … to decideStop as a run does; the decision at each. */
function sequence(judgements: JudgementSoFar[], stopRule: StopRule = rule) {
  let streak: StopStreak | null = null;
  return judgements.map((j, i) => {
    const decision = decideStop(j, i + 1, streak, stopRule);
    streak = decision.streak;
    return decision;
  });
}

describe('decideStop', () => {
  it('goes on while a model is undecided, naming it and how many switches it lacks', () => {
    const decision = decideStop(judgement([model('0.6B', 'leak'), model('1.7B', 'undecided', 2)]), 3, null, rule);
    expect(decision).toEqual({ stop: false, reason: 'undecided: 1.7B (2 more switches)', streak: null, held: null });
  });

  it('stops when the same decided verdicts have held for confirmIterations iterations in a row, not before', () => {
    const leak = judgement([model('0.6B', 'leak'), model('1.7B', 'leak')], [], 'leak');
    const decisions = sequence([judgement([model('0.6B', 'undecided'), model('1.7B', 'undecided')]), leak, leak, leak, leak]);
    expect(decisions.map((d) => d.stop)).toEqual([false, false, false, true, true]);
    expect(decisions.map((d) => d.held)).toEqual([null, 1, 2, 3, 3]);
    expect(decisions[3]!.reason).toBe('decided after 4 iterations: 0.6B leak, 1.7B leak, process leak');
    expect(decisions[2]!.reason).toBe('0.6B leak, 1.7B leak, process leak, held 2 of the 3 iterations that confirm it');
  });

  it('starts the confirmation again when a verdict falls back to undecided or changes', () => {
    const leak = judgement([model('0.6B', 'leak')]);
    const plateau = judgement([model('0.6B', 'plateau')]);
    const undecided = judgement([model('0.6B', 'undecided')]);
    // leak, leak, undecided (a rise levelling off), plateau ×3: stops on the plateau, never on the leak.
    const decisions = sequence([leak, leak, undecided, plateau, plateau, plateau]);
    expect(decisions.map((d) => d.stop)).toEqual([false, false, false, false, false, true]);
    expect(decisions[5]!.reason).toBe('decided after 6 iterations: 0.6B plateau');
    expect(sequence([leak, leak, plateau, plateau]).map((d) => d.stop)).toEqual([false, false, false, false]);
  });

  it('waits for every count, and names the counts that are not clean', () => {
    const fdUndecided = judgement([model('0.6B', 'clean')], [count('0.6B', 'undecided', 1)]);
    expect(decideStop(fdUndecided, 5, null, rule)).toMatchObject({ stop: false, reason: 'undecided: 0.6B fds (1 more switch)' });
    const fdLeak = judgement([model('0.6B', 'leak')], [count('0.6B', 'leak')]);
    expect(sequence([fdLeak, fdLeak, fdLeak]).at(-1)).toMatchObject({
      stop: true,
      reason: 'decided after 3 iterations: 0.6B leak, 0.6B fd leak',
    });
  });

  it('stops at the maximum, undecided or not yet confirmed, saying so', () => {
    const small: StopRule = { ...rule, maxIterations: 2 };
    expect(sequence([judgement([model('a', 'undecided')]), judgement([model('a', 'undecided', 4)])], small).at(-1)).toEqual({
      stop: true,
      reason: 'reached the maximum of 2 iterations: undecided: a (4 more switches)',
      streak: null,
      held: null,
    });
    expect(sequence([judgement([model('a', 'undecided')]), judgement([model('a', 'clean')])], small).at(-1)).toMatchObject({
      stop: true,
      reason: 'reached the maximum of 2 iterations: a clean, held 1 of the 3 iterations that confirm it',
      held: 1,
    });
  });

  it('never stops on a judgement of nothing', () => {
    expect(decideStop({ models: [], counts: [], process: null, insufficientData: true }, 5, null, rule)).toMatchObject({
      stop: false,
      reason: 'undecided: nothing judged yet',
    });
  });
});

describe('decideStop on judged series: a plateau is not stopped as a leak', () => {
  // 8 MiB more at each of the first 5 loads, then level: a leak verdict while it rises, a plateau once level.
  const heap = Array.from({ length: 21 }, (_, i) => 50 * MIB + Math.min(i, 5) * 8 * MIB + (i % 2) * 1024);
  const judgedAfter = (iterations: number): JudgementSoFar => {
    const series: ModelSeries = {
      modelKey: 'm',
      label: 'm',
      afterUnloadBytes: { heapInUse: heap.slice(0, iterations + 1) },
      beforeLoadBytes: {},
    };
    return judgeRun([series]);
  };
  const firstStop = (stopRule: StopRule) => {
    const decisions = sequence(
      Array.from({ length: 20 }, (_, i) => judgedAfter(i + 1)),
      stopRule,
    );
    return decisions.find((d) => d.stop)!.reason;
  };

  it('stops on the first leak verdict when nothing confirms it (the false alarm the confirmation is for)', () => {
    expect(firstStop({ ...rule, confirmIterations: 1 })).toMatch(/^decided after \d iterations: m leak$/);
  });

  it('stops on a leak with 4 iterations of confirmation: a 5-load rise holds its leak verdict from switch 4 to 7', () => {
    expect(firstStop({ ...rule, confirmIterations: 4 })).toBe('decided after 7 iterations: m leak');
  });

  it('stops on plateau with 5 iterations of confirmation (CONFIRM_ITERATIONS)', () => {
    expect(firstStop({ ...rule, confirmIterations: CONFIRM_ITERATIONS })).toBe('decided after 15 iterations: m plateau');
  });
});
