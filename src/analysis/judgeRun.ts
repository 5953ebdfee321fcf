import { judgeModel, type JudgeOptions, type ModelJudgement } from './judgeModel.js';
import type { ModelSeries } from './Signal.js';
import type { Verdict } from './Verdict.js';

/** The verdict over every model of a run. */
export interface RunJudgement {
  verdict: Verdict;
  /** Some model's verdict stands only for lack of data. */
  insufficientData: boolean;
  models: ModelJudgement[];
}

/** Verdicts from worst to best: a run takes the worst of its models. */
const SEVERITY: readonly Verdict[] = ['leak', 'plateau', 'clean'];

/** Judges each model (judgeModel); the run is `leak` if any model leaks, else `plateau` if any plateaus, else `clean`. */
export function judgeRun(series: readonly ModelSeries[], options: JudgeOptions = {}): RunJudgement {
  const models = series.map((s) => judgeModel(s, options));
  const verdict = SEVERITY.find((v) => models.some((m) => m.verdict === v)) ?? 'clean';
  return { verdict, insufficientData: models.some((m) => m.insufficientData), models };
}
