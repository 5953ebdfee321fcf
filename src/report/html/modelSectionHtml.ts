import { formatBytes } from '../../units.js';
import type { ModelJudgement } from '../../analysis/judgeModel.js';
import type { RenderedChart } from '../charts/renderCharts.js';
import { SIGNAL_NAMES } from '../../analysis/Signal.js';
import { chartFigureHtml } from './chartFigureHtml.js';
import { escapeHtml } from './escapeHtml.js';
import { attributionHtml, type AttributionForModel } from './attributionHtml.js';
import { htmlTable } from './htmlTable.js';

const signed = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${formatBytes(bytes)}`;

/** HTML id of a model's section. */
export const modelAnchor = (modelKey: string): string => `model-${modelKey.replace(/[^A-Za-z0-9_-]+/g, '_')}`;

/**
 * One model: the verdict with its evidence (every signal's slope, CI, floor, warm-up, rule) and
 * explanations, the deciding signal's timeline, and the other signals' timelines folded away.
 */
/** `attribution`: the model's growing allocation sites, given only for a model that leaks. */
export function modelSectionHtml(model: ModelJudgement, charts: readonly RenderedChart[], attribution?: AttributionForModel): string {
  const own = charts.filter((c) => c.modelKey === model.modelKey);
  const deciding = own.filter((c) => c.deciding);
  const others = own.filter((c) => !c.deciding);
  const evidenceRows = model.evidence.map((e) => ({
    deciding: e.signal === model.decidedBy,
    cells: [
      SIGNAL_NAMES[e.signal],
      { html: `<span class="badge ${e.verdict}">${e.verdict.toUpperCase()}</span>` },
      signed(e.slopeBytesPerSwitch),
      e.ci95Bytes ? `${signed(e.ci95Bytes[0])} … ${signed(e.ci95Bytes[1])}` : null,
      formatBytes(e.floorBytesPerSwitch),
      e.warmupSwitches,
      e.warmupSwitches > 0 ? signed(e.warmupGrowthBytes) : null,
      e.switchesUsed,
      e.rule,
    ],
  }));
  const table = htmlTable(
    ['signal', 'verdict', 'slope / switch', '95 % CI of the slope', 'noise floor', 'warm-up', 'warm-up rise', 'switches fitted', 'rule'],
    evidenceRows.map((r) => r.cells),
    { className: 'evidence', numeric: [2, 4, 5, 6, 7], rowClass: (i) => (evidenceRows[i]?.deciding ? 'deciding' : null) },
  );

  return [
    `<section class="model ${model.verdict}" id="${modelAnchor(model.modelKey)}">`,
    `<h2>${escapeHtml(model.label)} <span class="badge ${model.verdict}">${model.verdict.toUpperCase()}</span></h2>`,
    `<p class="muted">${model.decidedBy ? `Verdict decided by ${escapeHtml(SIGNAL_NAMES[model.decidedBy])} after unload` : 'No memory samples to judge'}` +
      `${model.insufficientData ? ' — undecided: not enough switches to call it either way (see below for how many more)' : ''}.</p>`,
    `<ul class="explanations">${model.explanations.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>`,
    table,
    attribution ? attributionHtml(attribution) : '',
    ...deciding.map(chartFigureHtml),
    others.length
      ? `<details><summary>Other signals: ${others.map((c) => escapeHtml(c.signal ? SIGNAL_NAMES[c.signal] : c.title)).join(', ')}</summary>\n${others.map(chartFigureHtml).join('\n')}\n</details>`
      : '',
    '</section>',
  ].join('\n');
}
