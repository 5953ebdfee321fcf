import type { SignalAssessment } from '../assessSignal.js';
import type { Verdict } from '../Verdict.js';

/** One step of the verdict chain: the first rule (in verdictRules order) that matches decides. */
export interface VerdictRule {
  name: string;
  verdict: Verdict;
  matches(assessment: SignalAssessment): boolean;
  /** One line of evidence, prefixed with the signal name. */
  explain(assessment: SignalAssessment): string;
  /** For an undecided verdict: how many more switches would decide it. */
  moreSwitchesNeeded?(assessment: SignalAssessment): number;
}
