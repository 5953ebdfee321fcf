/** One model's load → use → unload, with a signal's level before the load and after the unload. */
export interface CycleLevels {
  modelKey: string;
  beforeLoadBytes: number;
  afterUnloadBytes: number;
}

/** A model's levels with the other models' cycle changes taken out, in cycle order. */
export interface AttributedLevels {
  beforeLoadBytes: number[];
  afterUnloadBytes: number[];
}

/**
 * When several models share one process, model A's levels also move with what B's cycles left
 * behind, so a leak in B would show in A's series too. This returns, per model, its measured levels
 * (before each load, after each unload) minus the net change (after unload − before load) of every
 * *other* model's cycles so far. With one model the result is exactly the measured series; what
 * happens between cycles (harness, allocator trims) stays in every series, so nothing is hidden or
 * invented.
 *
 * @param cycles every cycle of the run, in the order measured
 */
export function attributeToModels(cycles: readonly CycleLevels[]): Map<string, AttributedLevels> {
  const series = new Map<string, AttributedLevels>();
  const ownChange = new Map<string, number>();
  let totalChange = 0;
  for (const cycle of cycles) {
    const levels = series.get(cycle.modelKey) ?? { beforeLoadBytes: [], afterUnloadBytes: [] };
    series.set(cycle.modelKey, levels);
    const own = ownChange.get(cycle.modelKey) ?? 0;
    levels.beforeLoadBytes.push(cycle.beforeLoadBytes - (totalChange - own));
    const change = cycle.afterUnloadBytes - cycle.beforeLoadBytes;
    totalChange += change;
    ownChange.set(cycle.modelKey, own + change);
    levels.afterUnloadBytes.push(cycle.afterUnloadBytes - (totalChange - own - change));
  }
  return series;
}
