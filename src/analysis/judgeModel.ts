import { decidingEvidence } from './decidingEvidence.js';
import { assessSignal, MINIMUM_SWITCHES_FOR_LEAK, type AssessOptions } from './assessSignal.js';
import { explanationRules, type EvidenceBySignal } from './rules/explanationRules.js';
import { verdictRules } from './rules/verdictRules.js';
import { judgedSeries } from './judgedSeries.js';
import { SIGNALS, type ModelSeries, type Signal } from './Signal.js';
import type { SignalEvidence } from './SignalEvidence.js';
import type { Verdict } from './Verdict.js';

/** The verdict for one model, with the evidence behind it. */
export interface ModelJudgement {
  modelKey: string;
  label: string;
  verdict: Verdict;
  /**
   * The signal whose verdict is the model's (heapInUse, else rssAnon, else rss;
   * outsideMalloc when it leaks: see decidingEvidence); null without data.
   */
  decidedBy: Signal | null;
  /** The verdict is undecided: too few switches, no samples, or a rise that has only just levelled off. */
  insufficientData: boolean;
  /** One entry per measured signal, in SIGNALS order. */
  evidence: SignalEvidence[];
  /** Human lines: the deciding signal first, then the other signals, then cross-signal remarks. */
  explanations: string[];
}

export type JudgeOptions = AssessOptions;

/**
 * Judges one model from its after-unload series. For each signal present, the series is the baseline
 * before the first load (beforeLoadBytes[signal][0], when present) followed by one sample after each
 * unload; it is measured by assessSignal and judged by the first matching rule in verdictRules
 * (insufficient data → undecided, levelled off, leak, plateau, clean). The model's verdict is that of heapInUse when
 * present, else rssAnon, else rss; explanationRules add cross-signal remarks.
 */
export function judgeModel(series: ModelSeries, options: JudgeOptions = {}): ModelJudgement {
  const evidence: SignalEvidence[] = [];
  const skipped: string[] = [];
  for (const signal of SIGNALS) {
    const afterUnload = series.afterUnloadBytes[signal];
    if (afterUnload === undefined) continue;
    const { values } = judgedSeries(series, signal);
    if (!values.every(Number.isFinite)) {
      skipped.push(`${signal}: ignored, the series has missing or non-finite samples`);
      continue;
    }
    if (values.length < 2) {
      skipped.push(`${signal}: ignored, ${values.length} sample(s), at least 2 needed`);
      continue;
    }
    evidence.push(judgeSignal(signal, values, options));
  }

  const decisive = decidingEvidence(evidence);
  const bySignal: EvidenceBySignal = Object.fromEntries(evidence.map((e) => [e.signal, e]));
  const remarks = explanationRules.filter((r) => r.applies(bySignal)).map((r) => r.message(bySignal));
  if (decisive === undefined) {
    return {
      modelKey: series.modelKey,
      label: series.label,
      verdict: 'undecided',
      decidedBy: null,
      insufficientData: true,
      evidence,
      explanations: [
        `${series.label}: undecided, no memory samples to judge (run at least ${MINIMUM_SWITCHES_FOR_LEAK} switches)`,
        ...skipped,
      ],
    };
  }
  return {
    modelKey: series.modelKey,
    label: series.label,
    verdict: decisive.verdict,
    decidedBy: decisive.signal,
    insufficientData: decisive.insufficientData,
    evidence,
    explanations: [decisive.explanation, ...evidence.filter((e) => e !== decisive).map((e) => e.explanation), ...skipped, ...remarks],
  };
}

/** Measures one signal's series (assessSignal) and judges it by the first matching rule in verdictRules. */
export function judgeSignal(signal: Signal, values: number[], options: JudgeOptions = {}): SignalEvidence {
  const a = assessSignal(signal, values, options);
  // unprovenRule always matches, so find() cannot come back empty
  const rule = verdictRules.find((r) => r.matches(a)) ?? verdictRules[verdictRules.length - 1]!;
  return {
    signal,
    verdict: rule.verdict,
    slopeBytesPerSwitch: a.slopeBytesPerSwitch,
    ci95Bytes: a.ci95Bytes,
    warmupSwitches: a.warmupSwitches,
    warmupGrowthBytes: a.warmupGrowthBytes,
    floorBytesPerSwitch: a.floorBytesPerSwitch,
    cleanFloorBytesPerSwitch: a.cleanFloorBytesPerSwitch,
    switchesUsed: a.switchesUsed,
    risingSteps: a.risingSteps,
    fallingSteps: a.fallingSteps,
    flatTailSwitches: a.flatTailSwitches,
    insufficientData: rule.verdict === 'undecided',
    moreSwitchesNeeded: rule.moreSwitchesNeeded?.(a) ?? null,
    rule: rule.name,
    explanation: rule.explain(a),
  };
}
