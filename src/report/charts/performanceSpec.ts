import type { TopLevelSpec } from 'vega-lite';
import type { ModelIteration, RunResults } from '../../results/RunResults.js';
import { CHART_CONFIG, CHART_WIDTH } from './chartConfig.js';

interface Panel {
  title: string;
  read: (record: ModelIteration) => number | null;
  /** The axis starts at 0 (rates that are 0 at best). */
  fromZero: boolean;
}

/** The per-iteration figures charted, one panel each (a panel without any value is left out). */
const PANELS: readonly Panel[] = [
  { title: 'TTFT (ms)', read: (r) => r.ttftMs, fromZero: false },
  { title: 'speed (chars/s)', read: (r) => r.charsPerSecond, fromZero: false },
  { title: 'WER (%)', read: (r) => r.werPercent, fromZero: true },
];

/**
 * TTFT, speed and WER per iteration, one line per model, as a Vega-Lite chart; null when the run
 * recorded none of them.
 */
export function performanceSpec(results: RunResults): TopLevelSpec | null {
  const labels = new Map(results.models.map((m) => [m.key, m.label]));
  const panels = PANELS.flatMap((panel) => {
    const values = results.records.flatMap((r) => {
      const value = panel.read(r);
      return value === null || !Number.isFinite(value)
        ? []
        : [{ iteration: r.iteration, model: labels.get(r.modelKey) ?? r.modelKey, value }];
    });
    if (values.length === 0) return [];
    const max = Math.max(...values.map((v) => v.value));
    // An all-zero WER would leave a zero-width domain and unreadable ticks.
    const scale = panel.fromZero ? { domain: [0, Math.max(max, 1)] } : { zero: false };
    return [
      {
        width: CHART_WIDTH,
        height: 90,
        data: { values },
        mark: { type: 'line', point: { size: 14 }, strokeWidth: 1.3 },
        encoding: {
          x: { field: 'iteration', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, title: 'iteration' },
          y: { field: 'value', type: 'quantitative', scale, title: panel.title },
          color: { field: 'model', type: 'nominal', scale: { scheme: 'tableau10' }, legend: { title: 'model', orient: 'right' } },
        },
      },
    ];
  });
  if (panels.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'TTFT, speed and WER per iteration', anchor: 'start' },
    background: 'white',
    padding: 8,
    config: CHART_CONFIG,
    vconcat: panels,
    spacing: 12,
  } as TopLevelSpec;
}
