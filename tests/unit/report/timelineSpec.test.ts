import { describe, expect, it } from 'vitest';
import { fromRunResults } from '../../../src/analysis/fromRunResults.js';
import { analyzeResults } from '../../../src/analysis/analyzeResults.js';
import { signalTimelines, type SignalTimeline } from '../../../src/report/charts/signalTimelines.js';
import { TIMELINE_KEYS, timelineSpec } from '../../../src/report/charts/timelineSpec.js';
import { leakingModel, plateauModel, syntheticRun } from './fixtures/syntheticRun.js';
import { MIB } from '../../../src/units.js';

/** The parts of the compiled-to-be spec the tests read. */
interface Layer {
  data?: { values: Record<string, unknown>[] };
  mark?: { type: string } | string;
  layer?: Layer[];
}
interface Spec {
  title: { text: string; subtitle: string[] };
  vconcat: { layer: Layer[] }[];
}

function heapTimeline(models: Parameters<typeof syntheticRun>[0], iterations: number): SignalTimeline {
  const results = syntheticRun(models, iterations);
  return signalTimelines(results, fromRunResults(results), analyzeResults(results).judgement.models).find((t) => t.signal === 'heapInUse')!;
}

const spec = (timeline: SignalTimeline): Spec => timelineSpec(timeline) as unknown as Spec;
const markType = (layer: Layer): string | undefined => (typeof layer.mark === 'string' ? layer.mark : layer.mark?.type);
const valuesOf = (layers: Layer[], type: string): Record<string, unknown>[] | undefined =>
  layers.find((l) => markType(l) === type)?.data?.values;

describe('timelineSpec', () => {
  it('puts the after-unload points in MiB, the fit line endpoints and the verdict in the title (leak)', () => {
    const timeline = heapTimeline([leakingModel()], 20);
    const s = spec(timeline);
    expect(s.title.text).toBe('leaky — heap in use: LEAK (decides the verdict)');
    expect(s.title.subtitle[0]).toContain('slope +1.0 MiB/switch');
    const [main, phases] = s.vconcat;
    const series = main!.layer.find((l) => l.layer)!;
    const points = series.data!.values;
    expect(points).toHaveLength(21);
    expect(points[0]).toEqual({ switchIndex: 0, mib: 100, key: TIMELINE_KEYS[0] });
    expect(points[20]).toEqual({ switchIndex: 20, mib: 120, key: TIMELINE_KEYS[0] });
    const line = valuesOf(main!.layer, 'line')!;
    expect(line).toHaveLength(2);
    expect(line[0]!.switchIndex).toBe(0);
    expect(line[0]!.mib).toBeCloseTo(100, 9);
    expect(line[1]!.switchIndex).toBe(20);
    expect(line[1]!.mib).toBeCloseTo(120, 9);
    expect(valuesOf(main!.layer, 'rect')).toBeUndefined();
    expect(valuesOf(phases!.layer, 'line')).toHaveLength(20 * 4);
  });

  it('shades the warm-up from the first point to the start of the fitted window (plateau)', () => {
    const timeline = heapTimeline([plateauModel()], 20);
    const [main, phases] = spec(timeline).vconcat;
    expect(valuesOf(main!.layer, 'rect')).toEqual([{ fromSwitch: 0, toSwitch: 5 }]);
    expect(valuesOf(phases!.layer, 'rect')).toEqual([{ fromSwitch: 0, toSwitch: 5 }]);
    const points = main!.layer.find((l) => l.layer)!.data!.values;
    expect(points.filter((p) => p.key === TIMELINE_KEYS[1]).map((p) => p.switchIndex)).toEqual([0, 1, 2, 3, 4]);
    expect(valuesOf(main!.layer, 'line')).toEqual([
      { switchIndex: 5, mib: 140 },
      { switchIndex: 20, mib: 140 },
    ]);
  });

  it('draws the CI band from the evidence, in MiB', () => {
    const timeline = heapTimeline([{ key: 'm', label: 'm', netBytes: (k) => [2, -1, 2, 2][k - 1]! * MIB }], 4);
    const band = valuesOf(spec(timeline).vconcat[0]!.layer, 'area')!;
    expect(band.map((b) => b.switchIndex)).toEqual([0, 2, 4]);
    expect(band[0]!.lowMib).toBeCloseTo(98.25, 9);
    expect(band[2]!.highMib).toBeCloseTo(106.25, 9);
  });
});
