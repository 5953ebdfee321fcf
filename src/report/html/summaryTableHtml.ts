import type { RunSummary } from '../../results/summarizeRun.js';
import { escapeHtml } from './escapeHtml.js';
import { htmlTable, type Cell } from './htmlTable.js';
import { MIB } from '../../units.js';

const fixed = (value: number | null, digits = 2): Cell => (value === null ? null : value.toFixed(digits));

type ModelSummary = RunSummary['models'][number];

/** The rows of the seed's Summary table (seedConsoleReport.formatSummary), same names and order. */
const ROWS: readonly { metric: string; pick: (m: ModelSummary) => number | null }[] = [
  { metric: 'Avg Load Overhead (MB)', pick: (m) => m.meanLoadOverheadMb },
  { metric: 'Avg Unload Release (MB)', pick: (m) => m.meanUnloadReleaseMb },
  { metric: 'Avg Net Leak per Switch (MB)', pick: (m) => m.meanNetLeakMb },
  { metric: '  RssAnon Net Leak (MB)', pick: (m) => m.meanNetLeakBytes.rssAnon / MIB },
  { metric: '  Heap-in-use Net Leak (MB)', pick: (m) => (m.meanNetLeakBytes.heap === null ? null : m.meanNetLeakBytes.heap / MIB) },
  { metric: 'Avg TTFT (ms)', pick: (m) => m.ttftMs.mean },
  { metric: 'Avg Speed (chars/sec)', pick: (m) => m.charsPerSecond.mean },
  { metric: 'Avg WER (%)', pick: (m) => m.werPercent.mean },
];

/** The seed's Summary table (one column per model) and its Overall Memory figures. */
export function summaryTableHtml(summary: RunSummary): string {
  const models = htmlTable(
    ['Metric', ...summary.models.map((m) => `${m.label} Model`)],
    ROWS.map((row) => [row.metric.trim(), ...summary.models.map((m) => fixed(row.pick(m)))]),
    { className: 'summary', numeric: summary.models.map((_, i) => i + 1) },
  );
  const overall = htmlTable(
    ['Overall Memory', ''],
    [
      ['Initial Memory (MB)', fixed(summary.initialMemoryMb)],
      ['Final Memory (MB)', fixed(summary.finalMemoryMb)],
      ['Total Growth (MB)', fixed(summary.totalGrowthMb)],
      ['Growth Rate (MB/iter)', fixed(summary.growthRateMbPerIteration, 4)],
    ],
    { className: 'overall', numeric: [1] },
  );
  const empty = summary.models
    .filter((m) => m.emptyTranscripts > 0)
    .map((m) => `<p class="alert">${escapeHtml(m.label)} returned an empty transcript ${m.emptyTranscripts} time(s) (check the audio file and ffmpeg)</p>`);
  return [models, overall, ...empty].join('\n');
}
