import type { ModelIteration } from '../../results/RunResults.js';

export type UnloadFindingKind = 'mapping' | 'fd' | 'thread';

/** Something an unload left behind in one model-iteration. */
export interface UnloadFinding {
  kind: UnloadFindingKind;
  iteration: number;
  modelKey: string;
  /** The count before the load (for mappings: always 0 by construction of the probe). */
  before: number;
  /** The count after the unload. */
  after: number;
  message: string;
}

/** One deterministic check of a model-iteration: returns a finding, or null when the unload was clean. */
export interface UnloadCheck {
  kind: UnloadFindingKind;
  check(record: ModelIteration): UnloadFinding | null;
}
