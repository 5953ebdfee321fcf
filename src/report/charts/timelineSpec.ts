import type { TopLevelSpec } from 'vega-lite';
import { formatBytes, MIB } from '../../units.js';
import { PHASES } from '../../results/ProbeSample.js';
import { CHART_CONFIG, CHART_WIDTH } from './chartConfig.js';
import { SIGNAL_NAMES } from '../../analysis/Signal.js';
import type { SignalTimeline } from './signalTimelines.js';
import { VERDICT_COLORS } from './verdictColors.js';

const MAIN_HEIGHT = 210;
const PHASES_HEIGHT = 110;

/** Legend entries of the main panel, in the order listed. */
export const TIMELINE_KEYS = ['after unload', 'after unload (warm-up)', 'Theil–Sen fit', '95 % CI of the slope'] as const;

const PHASE_COLORS = ['#9e9e9e', '#56b4e9', '#0072b2', '#222222'];
const WARMUP_FILL = '#b8b8b8';

const mib = (bytes: number): number => bytes / MIB;
/** `hex` mixed with white: `amount` 0 keeps it, 1 is white. */
const tint = (hex: string, amount: number): string =>
  `#${[1, 3, 5]
    .map((i) =>
      Math.round(parseInt(hex.slice(i, i + 2), 16) * (1 - amount) + 255 * amount)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
const signed = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${formatBytes(bytes)}`;

/**
 * A Vega-Lite chart of one signal of one model: on top the after-unload series the verdict judged,
 * with the warm-up shaded, the Theil–Sen line over the fitted window and its slope's 95 % CI band;
 * below, the four phases of every switch. Values are in MiB; the title states the verdict and evidence,
 * so the chart stands alone when pasted into an issue.
 */
export function timelineSpec(timeline: SignalTimeline): TopLevelSpec {
  const { evidence, points, fit } = timeline;
  const color = VERDICT_COLORS[evidence.verdict];
  const lastSwitch = Math.max(...points.map((p) => p.switchIndex), 1);
  const xDomain = [Math.min(...points.map((p) => p.switchIndex)), lastSwitch];
  const x = {
    field: 'switchIndex',
    type: 'quantitative',
    scale: { domain: xDomain, nice: false },
    axis: { tickMinStep: 1, format: 'd' },
  } as const;
  const xTitled = { ...x, title: 'switch (0 = before the first load)' };
  const warmupLayer = timeline.warmup
    ? [
        {
          data: { values: [{ fromSwitch: timeline.warmup.fromSwitch, toSwitch: timeline.warmup.toSwitch }] },
          mark: { type: 'rect', color: WARMUP_FILL, opacity: 0.35 },
          encoding: { x: { ...x, field: 'fromSwitch' }, x2: { field: 'toSwitch' } },
        },
      ]
    : [];
  const warmupLabel = timeline.warmup
    ? [
        {
          data: { values: [{ switchIndex: (timeline.warmup.fromSwitch + timeline.warmup.toSwitch) / 2, text: 'warm-up' }] },
          mark: { type: 'text', baseline: 'top', dy: 4, y: 0, color: '#555555', fontSize: 11 },
          encoding: { x, text: { field: 'text' } },
        },
      ]
    : [];

  const ys = [...points.map((p) => p.bytes), fit.from.bytes, fit.to.bytes].map(mib);
  const low = Math.min(...ys);
  const high = Math.max(...ys);
  const pad = Math.max((high - low) * 0.08, 0.01);
  const y = { type: 'quantitative', scale: { domain: [low - pad, high + pad], zero: false, nice: false } } as const;
  const key = {
    type: 'nominal',
    scale: { domain: [...TIMELINE_KEYS], range: ['#1f2d3d', '#8c8c8c', color, tint(color, 0.55)] },
    legend: { title: null, orient: 'top' },
  } as const;

  const main = {
    width: CHART_WIDTH,
    height: MAIN_HEIGHT,
    layer: [
      ...warmupLayer,
      ...warmupLabel,
      ...(timeline.ciBand
        ? [
            {
              data: {
                values: timeline.ciBand.map((b) => ({ switchIndex: b.switchIndex, lowMib: mib(b.lowBytes), highMib: mib(b.highBytes) })),
              },
              mark: { type: 'area', opacity: 0.6, clip: true },
              encoding: { x, y: { ...y, field: 'lowMib' }, y2: { field: 'highMib' }, color: { ...key, datum: TIMELINE_KEYS[3] } },
            },
          ]
        : []),
      {
        data: { values: [fit.from, fit.to].map((p) => ({ switchIndex: p.switchIndex, mib: mib(p.bytes) })) },
        mark: { type: 'line', strokeWidth: 2.5, clip: true },
        encoding: { x, y: { ...y, field: 'mib' }, color: { ...key, datum: TIMELINE_KEYS[2] } },
      },
      {
        data: {
          values: points.map((p) => ({
            switchIndex: p.switchIndex,
            mib: mib(p.bytes),
            key: p.warmup ? TIMELINE_KEYS[1] : TIMELINE_KEYS[0],
          })),
        },
        layer: [
          { mark: { type: 'line', color: '#5f6b7a', strokeWidth: 1 }, encoding: { x, y: { ...y, field: 'mib' } } },
          {
            mark: { type: 'point', filled: true, size: 36, opacity: 1 },
            encoding: {
              x: xTitled,
              y: { ...y, field: 'mib', title: `${SIGNAL_NAMES[timeline.signal]} after unload (MiB)` },
              color: { ...key, field: 'key' },
              tooltip: [
                { field: 'switchIndex', title: 'switch' },
                { field: 'mib', title: 'MiB', format: '.3f' },
              ],
            },
          },
        ],
      },
    ],
  };

  const phases = {
    width: CHART_WIDTH,
    height: PHASES_HEIGHT,
    layer: [
      ...warmupLayer,
      {
        data: { values: timeline.phases.map((p) => ({ switchIndex: p.switchIndex, phase: p.phase, mib: mib(p.bytes) })) },
        mark: { type: 'line', strokeWidth: 1.4 },
        encoding: {
          x: { ...xTitled, title: 'switch' },
          y: { field: 'mib', type: 'quantitative', scale: { zero: false }, title: 'four phases (MiB)' },
          color: {
            field: 'phase',
            type: 'nominal',
            scale: { domain: [...PHASES], range: PHASE_COLORS },
            legend: { title: null, orient: 'bottom' },
          },
        },
      },
    ],
  };

  const ci = evidence.ci95Bytes ? `[${signed(evidence.ci95Bytes[0])}, ${signed(evidence.ci95Bytes[1])}]` : 'n/a (too few switches)';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text:
        `${timeline.label} — ${SIGNAL_NAMES[timeline.signal]}: ${evidence.verdict.toUpperCase()}` +
        `${timeline.deciding ? ' (decides the verdict)' : ''}`,
      subtitle: [
        `slope ${signed(evidence.slopeBytesPerSwitch)}/switch, 95 % CI ${ci}, noise floor ` +
          `${formatBytes(evidence.floorBytesPerSwitch)}/switch`,
        `warm-up ${evidence.warmupSwitches} switch(es) shaded; fit over ${evidence.switchesUsed} switches` +
          (timeline.attributed ? "; other models' net changes taken out, as the verdict reads it" : ''),
      ],
      anchor: 'start',
      color: color,
      subtitleColor: '#333333',
    },
    background: 'white',
    padding: 8,
    config: CHART_CONFIG,
    resolve: { scale: { color: 'independent', y: 'independent' }, legend: { color: 'independent' } },
    vconcat: [main, phases],
    spacing: 14,
  } as TopLevelSpec;
}
