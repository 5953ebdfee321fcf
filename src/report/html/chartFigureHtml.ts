import type { RenderedChart } from '../charts/renderCharts.js';
import { escapeHtml } from './escapeHtml.js';

/** A chart inlined as SVG, with a link to its standalone copy (for pasting into an issue). */
export function chartFigureHtml(chart: RenderedChart): string {
  return [
    `<figure class="chart" id="chart-${escapeHtml(chart.id)}" data-chart="${escapeHtml(chart.id)}">`,
    chart.svg,
    `<figcaption>${escapeHtml(chart.title)} — standalone SVG: <a href="${escapeHtml(chart.fileName)}">${escapeHtml(chart.fileName)}</a></figcaption>`,
    '</figure>',
  ].join('\n');
}
