import { judgedSeries } from '../../analysis/judgedSeries.js';
import type { ModelJudgement } from '../../analysis/judgeModel.js';
import { type ModelSeries, SIGNAL_READERS, type Signal } from '../../analysis/Signal.js';
import type { SignalEvidence } from '../../analysis/SignalEvidence.js';
import { theilSen } from '../../analysis/theilSen.js';
import { PHASES, type PhaseName } from '../../results/ProbeSample.js';
import type { ModelIteration, RunResults } from '../../results/RunResults.js';

/** One sample of the series the verdict judged. */
export interface TimelinePoint {
  /** 0 = before the first load (the baseline), k = after the model's k-th unload. */
  switchIndex: number;
  bytes: number;
  /** Cut as warm-up: not part of the window the slope was fitted over. */
  warmup: boolean;
}

/** One phase of one switch (load → transcribe → unload), shifted like the verdict series. */
export interface PhasePoint {
  switchIndex: number;
  /** 1-based iteration the switch ran in. */
  iteration: number;
  phase: PhaseName;
  bytes: number;
}

/** A point of a straight line, in chart coordinates. */
export interface LinePoint {
  switchIndex: number;
  bytes: number;
}

/** The 95 % CI of the slope drawn as a band: lines at the CI's ends, pivoting at the window's centre. */
export interface BandPoint {
  switchIndex: number;
  lowBytes: number;
  highBytes: number;
}

/** Everything a chart of one signal of one model draws; built from the same series and fit as the verdict. */
export interface SignalTimeline {
  modelKey: string;
  label: string;
  signal: Signal;
  /** The model's verdict is this signal's. */
  deciding: boolean;
  evidence: SignalEvidence;
  /** Baseline before the first load, then one sample after each unload, as judged. */
  points: TimelinePoint[];
  /** The four phases of each switch, each shifted by the switch's attribution offset (see signalTimelines). */
  phases: PhasePoint[];
  /** The shaded warm-up region, from the first point to the start of the fitted window; null without warm-up. */
  warmup: { fromSwitch: number; toSwitch: number } | null;
  /** The Theil–Sen line: bytes = interceptBytes + slopeBytesPerSwitch · switchIndex, drawn over the fitted window. */
  fit: { interceptBytes: number; slopeBytesPerSwitch: number; from: LinePoint; to: LinePoint };
  /** Null when the window was too short for a 95 % CI. */
  ciBand: BandPoint[] | null;
  /** Other models' net changes were taken out (more than one model shared the worker). */
  attributed: boolean;
}

/**
 * The chart data of every judged signal of every model. `series` must be fromRunResults(results) and
 * `models` the judgement of those series (analyzeResults does both), so the points are exactly what
 * the verdict read: the baseline before the first load, then the after-unload levels with the other
 * models' net changes taken out (attributeToModels). The fit is recomputed with theilSen on the
 * post-warm-up window, as assessSignal fits it. Phases of switch k are shifted by the same offset as
 * its after-unload point, so afterUnload lands on the verdict series and load/unload deltas stay as measured.
 */
export function signalTimelines(results: RunResults, series: readonly ModelSeries[], models: readonly ModelJudgement[]): SignalTimeline[] {
  const timelines: SignalTimeline[] = [];
  for (const model of models) {
    const modelSeries = series.find((s) => s.modelKey === model.modelKey);
    if (!modelSeries) continue;
    const records = results.records.filter((r) => r.modelKey === model.modelKey).sort((a, b) => a.iteration - b.iteration);
    for (const evidence of model.evidence) {
      const timeline = signalTimeline(model, modelSeries, records, evidence, results.models.length > 1);
      if (timeline) timelines.push(timeline);
    }
  }
  return timelines;
}

function signalTimeline(
  model: ModelJudgement,
  series: ModelSeries,
  records: readonly ModelIteration[],
  evidence: SignalEvidence,
  shared: boolean,
): SignalTimeline | null {
  const { signal } = evidence;
  const afterUnload = series.afterUnloadBytes[signal];
  if (!afterUnload) return null;
  // The index into `values` is what assessSignal fits against.
  const { values, startsAtSwitch: shift } = judgedSeries(series, signal);
  const start = evidence.warmupSwitches;
  const xs = values.slice(start).map((_, j) => start + j);
  const fit = theilSen(xs, values.slice(start));
  // Index j is switch j + shift, so the intercept moves to switch 0.
  const interceptBytes = fit.intercept - fit.slope * shift;
  const firstSwitch = start + shift;
  const lastSwitch = values.length - 1 + shift;
  const at = (switchIndex: number): LinePoint => ({ switchIndex, bytes: interceptBytes + fit.slope * switchIndex });

  const read = SIGNAL_READERS[signal];
  const phases: PhasePoint[] = [];
  records.forEach((record, k) => {
    const measured = read(record.phases.afterUnload);
    const judged = afterUnload[k];
    if (measured === null || judged === undefined) return;
    const offsetBytes = judged - measured;
    for (const phase of PHASES) {
      const bytes = read(record.phases[phase]);
      if (bytes !== null) phases.push({ switchIndex: k + 1, iteration: record.iteration, phase, bytes: bytes + offsetBytes });
    }
  });

  return {
    modelKey: model.modelKey,
    label: model.label,
    signal,
    deciding: model.decidedBy === signal,
    evidence,
    points: values.map((bytes, j) => ({ switchIndex: j + shift, bytes, warmup: j < start })),
    phases,
    warmup: start > 0 ? { fromSwitch: shift, toSwitch: firstSwitch } : null,
    fit: { interceptBytes, slopeBytesPerSwitch: fit.slope, from: at(firstSwitch), to: at(lastSwitch) },
    ciBand: evidence.ci95Bytes ? slopeBand(at, evidence.ci95Bytes, firstSwitch, lastSwitch) : null,
    attributed: shared,
  };
}

/**
 * Lines with the CI's low and high slopes through the fitted line's value at the window's centre:
 * a bow tie, narrowest in the middle. The edges are straight on each side of the centre, so three
 * points per edge draw it exactly.
 */
function slopeBand(at: (x: number) => LinePoint, [lowSlope, highSlope]: readonly [number, number], from: number, to: number): BandPoint[] {
  const centre = (from + to) / 2;
  const pivot = at(centre).bytes;
  return [from, centre, to].map((switchIndex) => {
    const a = pivot + lowSlope * (switchIndex - centre);
    const b = pivot + highSlope * (switchIndex - centre);
    return { switchIndex, lowBytes: Math.min(a, b), highBytes: Math.max(a, b) };
  });
}
