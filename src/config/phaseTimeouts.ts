import type { PhaseTimeoutsMs } from './RunConfig.js';
import { GIB } from '../units.js';

/** Fixed part of each phase's timeout: process start-up, ffmpeg, thread pools. */
const BASE_MS: PhaseTimeoutsMs = { load: 30_000, infer: 120_000, unload: 30_000 };
/** Per GiB of model: reading weights, running the encoder, freeing buffers on a slow 2-core runner. */
const PER_GIB_MS: PhaseTimeoutsMs = { load: 60_000, infer: 120_000, unload: 20_000 };

/** Longest delay a Node timer takes (2^31 - 1 ms, ~24.8 days): a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Generous per-phase timeouts scaled by model size; a hang is still caught within minutes. Capped at what a timer can wait. */
export function phaseTimeouts(modelSizeBytes: number, scale = 1): PhaseTimeoutsMs {
  const gib = modelSizeBytes / GIB;
  const at = (phase: keyof PhaseTimeoutsMs): number =>
    Math.min(MAX_TIMER_MS, Math.round((BASE_MS[phase] + PER_GIB_MS[phase] * gib) * scale));
  return { load: at('load'), infer: at('infer'), unload: at('unload') };
}
