import type { Verdict } from '../analysis/Verdict.js';
import type { ModelInfo } from '../results/RunResults.js';
import type { Tolerance } from './Metric.js';

export const BASELINE_SCHEMA = 'leakgate-baseline/1';

/**
 * A checked-in baseline: what one scenario on one model set measured on one engine and platform,
 * how far each metric may move, and how it was measured. Written with sorted keys (stable diffs).
 */
export interface Baseline {
  schema: typeof BASELINE_SCHEMA;
  scenario: string;
  /** "reference" (leakgate's test oracle) or "chatllm.cpp". */
  engine: string;
  /** `${process.platform}-${process.arch}`. */
  platform: string;
  models: Pick<ModelInfo, 'key' | 'label' | 'kind' | 'sizeBytes' | 'sha256Prefix'>[];
  /** Measured values by metric key ("model_06b/leakBytesPerSwitch.heapInUse", "run/growthBytesPerIteration"). */
  metrics: Record<string, number>;
  /** Tolerances by metric name; written out in full so a reviewer sees what the gate allows. */
  tolerances: Record<string, Tolerance & { worse: 'bigger' | 'smaller' }>;
  /** The verdict of each model when the baseline was taken. */
  verdicts: Record<string, Verdict>;
  /** Set when a run with a leak verdict or a failure was accepted on purpose, with the reason given. */
  accepted: { reason: string; at: string } | null;
  provenance: {
    engineSha256: string;
    chatllmCommit: string | null;
    iterations: number;
    machine: { cpuModel: string; cores: number; memoryBytes: number; os: string; node: string };
    date: string;
    leakgateVersion: string;
  };
}
