import type { Signal } from './Signal.js';
import type { Verdict } from './Verdict.js';

/** What one signal showed for one model, and the verdict it earned on its own. */
export interface SignalEvidence {
  signal: Signal;
  verdict: Verdict;
  /** Theil–Sen slope over the post-warm-up window. */
  slopeBytesPerSwitch: number;
  /** 95 % CI of the slope, [low, high]; null only when insufficientData. */
  ci95Bytes: readonly [number, number] | null;
  warmupSwitches: number;
  /** Rise during warm-up (0 without warm-up). */
  warmupGrowthBytes: number;
  floorBytesPerSwitch: number;
  /** Switches spanned by the window the slope was fitted over. */
  switchesUsed: number;
  /** The verdict is clean only because there were too few switches to call a leak. */
  insufficientData: boolean;
  /** Name of the verdict rule that decided (see rules/verdictRules.ts). */
  rule: string;
  /** That rule's one-line explanation. */
  explanation: string;
}
