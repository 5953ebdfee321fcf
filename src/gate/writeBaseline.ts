import { writeTextAtomic } from '../files/writeJsonAtomic.js';
import type { Baseline } from './Baseline.js';
import { stableJson } from './stableJson.js';

/** Writes a baseline atomically with sorted keys: a failed write leaves the previous baseline intact. */
export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  await writeTextAtomic(path, stableJson(baseline), 'baseline');
}
