import type { RunSummary } from '../results/summarizeRun.js';
import { MIB } from '../units.js';
import { sectionHeading } from './sectionHeading.js';

type ModelSummary = RunSummary['models'][number];

/** One row of the seed's Summary table: a figure per model. */
export interface SummaryRow {
  metric: string;
  pick: (model: ModelSummary) => number | null;
  /** A standard deviation: the console prints it under its mean, the HTML report leaves it out. */
  spread?: true;
}

/**
 * The seed's Summary table rows, in its names and order, in two groups (memory, then speed and
 * accuracy): formatSummary prints them, and the HTML report's summary table shows the same rows.
 */
export const SUMMARY_ROW_GROUPS: readonly (readonly SummaryRow[])[] = [
  [
    { metric: 'Avg Load Overhead (MB)', pick: (m) => m.meanLoadOverheadMb },
    { metric: 'Avg Unload Release (MB)', pick: (m) => m.meanUnloadReleaseMb },
    { metric: 'Avg Net Leak per Switch (MB)', pick: (m) => m.meanNetLeakMb },
    { metric: '  RssAnon Net Leak (MB)', pick: (m) => m.meanNetLeakBytes.rssAnon / MIB },
    { metric: '  Heap-in-use Net Leak (MB)', pick: (m) => (m.meanNetLeakBytes.heap === null ? null : m.meanNetLeakBytes.heap / MIB) },
  ],
  [
    { metric: 'Avg TTFT (ms)', pick: (m) => m.ttftMs.mean },
    { metric: '  TTFT std dev (ms)', pick: (m) => m.ttftMs.stdDev, spread: true },
    { metric: 'Avg Speed (chars/sec)', pick: (m) => m.charsPerSecond.mean },
    { metric: '  Speed std dev (chars/sec)', pick: (m) => m.charsPerSecond.stdDev, spread: true },
    { metric: 'Avg WER (%)', pick: (m) => m.werPercent.mean },
  ],
];

/** The seed's Overall Memory figures: name, value and decimals. */
export function overallMemoryRows(summary: RunSummary): [metric: string, value: number | null, digits: number][] {
  return [
    ['Initial Memory (MB)', summary.initialMemoryMb, 2],
    ['Final Memory (MB)', summary.finalMemoryMb, 2],
    ['Total Growth (MB)', summary.totalGrowthMb, 2],
    ['Growth Rate (MB/iter)', summary.growthRateMbPerIteration, 4],
  ];
}

/** The warning for a model that transcribed nothing at least once. */
export const emptyTranscriptWarning = (model: ModelSummary): string =>
  `${model.label} returned an empty transcript ${model.emptyTranscripts} time(s) (check the audio file and ffmpeg)`;

/** The seed's column widths, so its users read the same table. */
const METRIC_WIDTH = 35;
const COLUMN_WIDTH = 15;

const fixed = (value: number | null, digits = 2): string => (value === null ? 'n/a' : value.toFixed(digits));

/** The seed's Summary table (one column per model) and Overall Memory section. */
export function formatSummary(summary: RunSummary): string {
  const width = METRIC_WIDTH + (COLUMN_WIDTH + 1) * summary.models.length;
  const row = (metric: string, cells: string[]): string =>
    `${metric.padEnd(METRIC_WIDTH)} ${cells.map((cell) => cell.padStart(COLUMN_WIDTH)).join(' ')}`;
  const lines = [
    ...sectionHeading(`Summary (${summary.iterations} iterations)`),
    '',
    row(
      'Metric',
      summary.models.map((model) => `${model.label} Model`),
    ),
  ];
  for (const group of SUMMARY_ROW_GROUPS) {
    lines.push(
      '-'.repeat(width),
      ...group.map((r) =>
        row(
          r.metric,
          summary.models.map((model) => fixed(r.pick(model))),
        ),
      ),
    );
  }
  for (const model of summary.models.filter((m) => m.emptyTranscripts > 0)) lines.push(`warning: ${emptyTranscriptWarning(model)}`);
  lines.push(
    ...sectionHeading('Overall Memory'),
    ...overallMemoryRows(summary).map(
      ([metric, value, digits]) => `${metric.padEnd(METRIC_WIDTH)} ${fixed(value, digits).padStart(COLUMN_WIDTH)}`,
    ),
    '',
  );
  return lines.join('\n');
}
