import { decidingEvidence } from './decidingEvidence.js';
import type { CountFinding } from './judgeCounts.js';
import { COUNT_VERDICT_WEIGHT } from './judgeCounts.js';
import { judgeModel, judgeSignal, type JudgeOptions, type ModelJudgement } from './judgeModel.js';
import { formatBytes } from '../units.js';
import { SIGNAL_NAMES, SIGNALS, type ModelSeries, type ProcessLevels, type Signal } from './Signal.js';
import type { SignalEvidence } from './SignalEvidence.js';
import { worstVerdict, type Verdict } from './Verdict.js';

/** The verdict on the whole process's level per iteration (all models together). */
export interface ProcessJudgement {
  verdict: Verdict;
  /** heapInUse, else rssAnon, else rss; outsideMalloc when it leaks (see decidingEvidence); null without data. */
  decidedBy: Signal | null;
  /** One entry per measured signal, in SIGNALS order. */
  evidence: SignalEvidence[];
  explanations: string[];
}

/** The verdict over a run: its models, the process as a whole, and the counts an unload must give back. */
export interface RunJudgement {
  /** The worst of the models', the process's and the counts' verdicts (a one-time count weighs as clean). */
  verdict: Verdict;
  /** Some verdict is undecided (too few switches, or a rise that has only just levelled off). */
  insufficientData: boolean;
  models: ModelJudgement[];
  /** Judged when a run has two models or more (with one, it is that model's series); else null. */
  process: ProcessJudgement | null;
  /** fd, thread and mapping verdicts per model (see judgeCounts). */
  counts: CountFinding[];
}

/** What judgeRun reads besides the models' series. */
export interface RunEvidence {
  /** The process's levels per iteration; judged when there are two models or more. */
  process?: ProcessLevels;
  counts?: CountFinding[];
  /** Why the run stopped before its planned end (crash, Ctrl-C), if it did: nothing it measured is called clean. */
  stoppedEarly?: string | null;
}

/**
 * Judges each model (judgeModel), the process as a whole (judgeProcess), and takes the counts as
 * judged; the run's verdict is the worst of them (VERDICTS order).
 */
export function judgeRun(series: readonly ModelSeries[], evidence: RunEvidence = {}, options: JudgeOptions = {}): RunJudgement {
  const models = series
    .map((s) => judgeModel(s, options))
    .map((m) => (evidence.stoppedEarly ? notCleanWhenStopped(m, evidence.stoppedEarly) : m));
  const process = series.length >= 2 && evidence.process ? judgeProcess(evidence.process, models, options) : null;
  const counts = evidence.counts ?? [];
  const verdicts = [
    ...models.map((m) => m.verdict),
    ...(process ? [process.verdict] : []),
    ...counts.map((c) => COUNT_VERDICT_WEIGHT[c.verdict]),
  ];
  // Nothing judged is no evidence of anything: undecided, never clean.
  const verdict = verdicts.length === 0 ? 'undecided' : worstVerdict(verdicts);
  return { verdict, insufficientData: verdict === 'undecided' || verdicts.includes('undecided'), models, process, counts };
}

/** A run that stopped early proves a leak it saw, but not the absence of one: clean and plateau become undecided. */
function notCleanWhenStopped(model: ModelJudgement, reason: string): ModelJudgement {
  if (model.verdict === 'leak' || model.verdict === 'undecided') return model;
  return {
    ...model,
    verdict: 'undecided',
    insufficientData: true,
    explanations: [
      `${model.label}: undecided, the run stopped early (${reason}): ${model.verdict} so far, not proven (run it to the end)`,
      ...model.explanations,
    ],
  };
}

/**
 * Judges the process's level per iteration with the same rules as a model's series. When it leaks and
 * no model does on the same signal, the growth is real but cannot be pinned on a model: say so.
 */
export function judgeProcess(levels: ProcessLevels, models: readonly ModelJudgement[], options: JudgeOptions = {}): ProcessJudgement {
  const evidence: SignalEvidence[] = [];
  for (const signal of SIGNALS) {
    const values = levels[signal];
    if (values === undefined || values.length < 2 || !values.every(Number.isFinite)) continue;
    evidence.push(judgeSignal(signal, values, options));
  }
  const decisive = decidingEvidence(evidence);
  if (!decisive) {
    return { verdict: 'undecided', decidedBy: null, evidence, explanations: ['process: undecided, no level per iteration to judge'] };
  }
  // The process is sampled once per iteration: its slopes are per iteration.
  const explanations = evidence.map(
    (e) => `process ${e.explanation.replaceAll('/switch', '/iteration').replaceAll(' switches', ' iterations')}`,
  );
  if (decisive.verdict === 'leak') {
    const name = SIGNAL_NAMES[decisive.signal];
    const growth = `the process keeps ${formatBytes(decisive.slopeBytesPerSwitch)} of ${name} per iteration`;
    const leaking = models.filter((m) => m.evidence.some((e) => e.signal === decisive.signal && e.verdict === 'leak'));
    explanations.unshift(
      leaking.length > 0
        ? `${growth}; ${leaking.map((m) => m.label).join(' and ')} ` +
            `${leaking.length === 1 ? 'leaks on its own series' : 'leak on their own series'}`
        : `${growth}; ${models.map((m) => m.label).join(' and ')} cannot be separated on ${name} alone`,
    );
  }
  return { verdict: decisive.verdict, decidedBy: decisive.signal, evidence, explanations };
}
