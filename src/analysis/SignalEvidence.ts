import type { Signal } from './Signal.js';
import type { Verdict } from './Verdict.js';

/** What one signal showed for one model (or the whole process), and the verdict it earned on its own. */
export interface SignalEvidence {
  signal: Signal;
  verdict: Verdict;
  /** Theil–Sen slope over the post-warm-up window. */
  slopeBytesPerSwitch: number;
  /** 95 % CI of the slope, [low, high]; null when the window is too short for one. */
  ci95Bytes: readonly [number, number] | null;
  warmupSwitches: number;
  /** Rise during warm-up (0 without warm-up). */
  warmupGrowthBytes: number;
  /** The leak test's floor: a slope CI must lie wholly above it to be a leak. */
  floorBytesPerSwitch: number;
  /** The clean test's floor (≤ floorBytesPerSwitch, never grown by a climb): a slope CI must lie wholly below it to be clean. */
  cleanFloorBytesPerSwitch: number;
  /** Switches spanned by the window the slope was fitted over. */
  switchesUsed: number;
  /** Post-warm-up changes above the minimum floor, and below minus it (the sign test's counts). */
  risingSteps: number;
  fallingSteps: number;
  /** Trailing switches the series stayed level for after rising. */
  flatTailSwitches: number;
  /** The verdict is undecided: too few switches, or a rise that has only just levelled off. */
  insufficientData: boolean;
  /** For an undecided verdict, how many more switches would decide it; null otherwise. */
  moreSwitchesNeeded: number | null;
  /** Name of the verdict rule that decided (see rules/verdictRules.ts). */
  rule: string;
  /** That rule's one-line explanation. */
  explanation: string;
}
