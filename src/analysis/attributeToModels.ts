/** One model's load → use → unload, with a signal's level before the load and after the unload. */
export interface SwitchLevels {
  modelKey: string;
  beforeLoadBytes: number;
  afterUnloadBytes: number;
}

/** A model's levels with the other models' switch changes taken out, in switch order. */
export interface AttributedLevels {
  beforeLoadBytes: number[];
  afterUnloadBytes: number[];
}

/**
 * When several models share one process, model A's levels also move with what B's switches left
 * behind, so a leak in B would show in A's series too. This returns, per model, its measured levels
 * (before each load, after each unload) minus the net change (after unload − before load) of every
 * *other* model's switches so far. With one model the result is exactly the measured series; what
 * happens between switches (harness, allocator trims) stays in every series, so nothing is hidden or
 * invented.
 *
 * @param switches every switch of the run, in the order measured
 */
export function attributeToModels(switches: readonly SwitchLevels[]): Map<string, AttributedLevels> {
  const series = new Map<string, AttributedLevels>();
  const ownChange = new Map<string, number>();
  let totalChange = 0;
  for (const sw of switches) {
    const levels = series.get(sw.modelKey) ?? { beforeLoadBytes: [], afterUnloadBytes: [] };
    series.set(sw.modelKey, levels);
    const own = ownChange.get(sw.modelKey) ?? 0;
    levels.beforeLoadBytes.push(sw.beforeLoadBytes - (totalChange - own));
    const change = sw.afterUnloadBytes - sw.beforeLoadBytes;
    totalChange += change;
    ownChange.set(sw.modelKey, own + change);
    levels.afterUnloadBytes.push(sw.afterUnloadBytes - (totalChange - own - change));
  }
  return series;
}
