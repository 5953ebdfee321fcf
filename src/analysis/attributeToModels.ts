/** One model's load → use → unload, with a signal's level before the load and after the unload. */
export interface CycleLevels {
  modelKey: string;
  beforeLoadBytes: number;
  afterUnloadBytes: number;
}

/**
 * When several models share one process, model A's after-unload level also moves with what B's
 * cycles left behind, so a leak in B would show in A's series too. This returns, per model, its
 * measured after-unload levels minus the net change (after unload − before load) of every *other*
 * model's cycles so far. With one model the result is exactly the measured series; what happens
 * between cycles (harness, allocator trims) stays in every series, so nothing is hidden or invented.
 *
 * @param cycles every cycle of the run, in the order measured
 * @returns after-unload series per model key, in cycle order
 */
export function attributeToModels(cycles: readonly CycleLevels[]): Map<string, number[]> {
  const series = new Map<string, number[]>();
  const ownChange = new Map<string, number>();
  let totalChange = 0;
  for (const cycle of cycles) {
    const change = cycle.afterUnloadBytes - cycle.beforeLoadBytes;
    totalChange += change;
    ownChange.set(cycle.modelKey, (ownChange.get(cycle.modelKey) ?? 0) + change);
    const othersChange = totalChange - ownChange.get(cycle.modelKey)!;
    series.set(cycle.modelKey, [...(series.get(cycle.modelKey) ?? []), cycle.afterUnloadBytes - othersChange]);
  }
  return series;
}
