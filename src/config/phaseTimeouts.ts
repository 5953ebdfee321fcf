import type { PhaseTimeoutsMs } from './RunConfig.js';
import { GIB } from '../units.js';

/** Fixed part of each phase's timeout: process start-up, ffmpeg, thread pools. */
const BASE_MS: PhaseTimeoutsMs = { load: 30_000, infer: 120_000, unload: 30_000 };
/** Per GiB of model: reading weights, running the encoder, freeing buffers on a slow 2-core runner. */
const PER_GIB_MS: PhaseTimeoutsMs = { load: 60_000, infer: 120_000, unload: 20_000 };

/** Generous per-phase timeouts scaled by model size; a hang is still caught within minutes. */
export function phaseTimeouts(modelSizeBytes: number, scale = 1): PhaseTimeoutsMs {
  const gib = modelSizeBytes / GIB;
  const at = (phase: keyof PhaseTimeoutsMs): number => Math.round((BASE_MS[phase] + PER_GIB_MS[phase] * gib) * scale);
  return { load: at('load'), infer: at('infer'), unload: at('unload') };
}
