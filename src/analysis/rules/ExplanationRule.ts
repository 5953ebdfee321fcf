import type { Signal } from '../Signal.js';
import type { SignalEvidence } from '../SignalEvidence.js';

/** Evidence of one model, by signal; a signal is missing when it was not measured. */
export type EvidenceBySignal = Partial<Record<Signal, SignalEvidence>>;

/** A cross-signal remark added to a model's explanations when it applies (see explanationRules). */
export interface ExplanationRule {
  name: string;
  applies(evidence: EvidenceBySignal): boolean;
  message(evidence: EvidenceBySignal): string;
}
