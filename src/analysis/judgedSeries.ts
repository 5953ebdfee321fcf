import type { ModelSeries, Signal } from './Signal.js';

/**
 * The series the verdict reads for one model and signal: the level before the first load (switch 0,
 * when known), then the level after each unload. Reports draw exactly this; `startsAtSwitch` is the
 * switch number of index 0 (0 with the before-load level, else 1).
 */
export function judgedSeries(series: ModelSeries, signal: Signal): { values: number[]; startsAtSwitch: 0 | 1 } {
  const afterUnload = series.afterUnloadBytes[signal] ?? [];
  const start = series.beforeLoadBytes[signal]?.[0];
  return start !== undefined && Number.isFinite(start)
    ? { values: [start, ...afterUnload], startsAtSwitch: 0 }
    : { values: [...afterUnload], startsAtSwitch: 1 };
}
