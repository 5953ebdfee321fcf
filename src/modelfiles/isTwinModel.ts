import { twinNoteKey } from '../twin/buildTwinMeta.js';
import { readGgmm } from './readGgmm.js';

/** True when the file is a chatllm.cpp model written by `leakgate twin` (its config carries the twin note). */
export async function isTwinModel(path: string): Promise<boolean> {
  try {
    const file = await readGgmm(path);
    const config = (file.meta as Record<string, unknown> | undefined)?.['config.json'];
    return typeof config === 'object' && config !== null && twinNoteKey in config;
  } catch {
    return false; // not a GGMM file: a reference model, or a legacy-format real model
  }
}
