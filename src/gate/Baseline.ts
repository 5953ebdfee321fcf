import type { Verdict } from '../analysis/Verdict.js';
import type { EngineStep } from '../results/ProbeSample.js';
import type { EngineFailure, EngineInfo, EnginePatch, ModelInfo } from '../results/RunResults.js';
import type { Tolerance } from './metrics.js';

export const BASELINE_SCHEMA = 'leakgate-baseline/1';

/**
 * The engine a baseline is filed under (baselines/<engine>/…): "reference" for leakgate's test oracle,
 * "chatllm.cpp" for a real libchatllm, whatever its commit (that is provenance, not the key).
 */
export const baselineEngine = (engine: Pick<EngineInfo, 'reference'>): string => (engine.reference ? 'reference' : 'chatllm.cpp');

/**
 * A checked-in baseline: what one scenario on one model set measured on one engine and platform,
 * how far each metric may move, and how it was measured. Written with sorted keys (stable diffs).
 */
export interface Baseline {
  schema: typeof BASELINE_SCHEMA;
  scenario: string;
  /** The engine it was measured on: see baselineEngine. */
  engine: string;
  /** The platform it was measured on: PLATFORM ("linux-x64"). */
  platform: string;
  models: Pick<ModelInfo, 'key' | 'label' | 'kind' | 'sizeBytes' | 'sha256Prefix'>[];
  /** Measured values by metric key ("model_06b/leakBytesPerSwitch.heapInUse", "run/growthBytesPerIteration"). */
  metrics: Record<string, number>;
  /** Tolerances by metric name; written out in full so a reviewer sees what the gate allows. */
  tolerances: Record<string, Tolerance & { worse: 'bigger' | 'smaller' }>;
  /** The verdict of each model when the baseline was taken. */
  verdicts: Record<string, Verdict>;
  /** Set when a run with a leak verdict or a failure was accepted on purpose, with the reason given. */
  accepted: { reason: string; at: string; failure?: AcceptedFailure } | null;
  /**
   * Engine allocation sites allowed to grow (written by hand): an engine-heap leak made only of these,
   * each within its bytes per switch, passes the gate; any other growing site fails it. Absent: none.
   */
  acceptedEngineSites?: AcceptedEngineSite[];
  provenance: {
    engineSha256: string;
    chatllmCommit: string | null;
    iterations: number;
    machine: { cpuModel: string; cores: number; memoryBytes: number; os: string; node: string };
    date: string;
    leakgateVersion: string;
    /** Patches applied to the engine source before it was built (BUILD_INFO.json), in order; absent when none. */
    patches?: EnginePatch[];
    /** glibc's mmap threshold pinned in the worker (null: left dynamic); absent in older baselines. */
    mmapThresholdBytes?: number | null;
  };
}

/** A growing engine allocation site a baseline accepts, by function name, up to a rate, with the reason. */
export interface AcceptedEngineSite {
  /** The site's function as the report names it, without parameters ("chatllm::BlockParams::FlashAttention::push"). */
  function: string;
  maxBytesPerSwitch: number;
  /** Why it is accepted ("a global vector of mode strings grows by one per load; reported upstream"). */
  reason: string;
}

/**
 * An engine failure the team accepted (e.g. upstream's destroy abort while its fix is an open PR):
 * a run that fails exactly this way passes the gate; any other failure does not.
 */
export interface AcceptedFailure {
  kind: EngineFailure['kind'];
  /** The engine step it happens in. */
  step: EngineStep | null;
  /** SIGABRT, SIGSEGV...; null for a hang or an engine error. */
  signal: string | null;
  /** A regular expression the failure message must match (e.g. "engine aborted in chatllm_destroy"). */
  messagePattern: string;
  /** Why it is accepted ("upstream PR #111 open"). */
  reason: string;
  /** Who accepted it. */
  acceptedBy: string;
}
