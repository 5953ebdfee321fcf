import type { RunSummary } from '../../results/summarizeRun.js';
import { escapeHtml } from './escapeHtml.js';
import { htmlTable, type Cell } from './htmlTable.js';
import { emptyTranscriptWarning, overallMemoryRows, SUMMARY_ROW_GROUPS } from '../formatSummary.js';

const fixed = (value: number | null, digits = 2): Cell => (value === null ? null : value.toFixed(digits));

/** The seed's Summary table (one column per model) and its Overall Memory figures. */
export function summaryTableHtml(summary: RunSummary): string {
  const models = htmlTable(
    ['Metric', ...summary.models.map((m) => `${m.label} Model`)],
    SUMMARY_ROW_GROUPS.flat()
      .filter((row) => !row.spread)
      .map((row) => [row.metric.trim(), ...summary.models.map((m) => fixed(row.pick(m)))]),
    { className: 'summary', numeric: summary.models.map((_, i) => i + 1) },
  );
  const overall = htmlTable(
    ['Overall Memory', ''],
    overallMemoryRows(summary).map(([metric, value, digits]) => [metric, fixed(value, digits)]),
    { className: 'overall', numeric: [1] },
  );
  const empty = summary.models
    .filter((m) => m.emptyTranscripts > 0)
    .map((m) => `<p class="alert">${escapeHtml(emptyTranscriptWarning(m))}</p>`);
  return [models, overall, ...empty].join('\n');
}
