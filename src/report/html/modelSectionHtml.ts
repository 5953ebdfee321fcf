/** A model's section of the HTML report: its verdict with evidence, its charts, the sites that leak. */
import type { ModelEngineSites } from '../../analysis/engineSiteGrowth.js';
import { engineSitesHtml } from './engineSitesHtml.js';
import { SIGNAL_NAMES } from '../../analysis/Signal.js';
import type { ModelJudgement } from '../../analysis/judgeModel.js';
import type { Attribution, ModelAttribution } from '../../results/Attribution.js';
import { describeFrame } from '../../results/NativeFrame.js';
import type { RunResults } from '../../results/RunResults.js';
import { formatBytes } from '../../units.js';
import type { RenderedChart } from '../charts/renderCharts.js';
import { formatCoverage, TOP_SITES } from '../formatAttribution.js';
import { escapeHtml } from './escapeHtml.js';
import { htmlTable } from './htmlTable.js';

const signed = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${formatBytes(bytes)}`;

/** HTML id of a model's section. */
export const modelAnchor = (modelKey: string): string => `model-${modelKey.replace(/[^A-Za-z0-9_-]+/g, '_')}`;

/**
 * One model: the verdict with its evidence (every signal's slope, CI, floor, warm-up, rule) and
 * explanations, the deciding signal's timeline, and the other signals' timelines folded away.
 * `attribution`: the model's growing allocation sites (heaptrack), given only for a model that leaks;
 * `engineSites`: its growing engine sites from the allocation ledger, when the run had it.
 */
export function modelSectionHtml(
  model: ModelJudgement,
  charts: readonly RenderedChart[],
  attribution?: AttributionForModel,
  engineSites?: ModelEngineSites,
): string {
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
    `<p class="muted">` +
      `${model.decidedBy ? `Verdict decided by ${escapeHtml(SIGNAL_NAMES[model.decidedBy])} after unload` : 'No memory samples to judge'}` +
      `${model.insufficientData ? ' — undecided: not enough switches to call it either way (see below for how many more)' : ''}.</p>`,
    `<ul class="explanations">${model.explanations.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>`,
    table,
    engineSitesHtml(engineSites),
    attribution ? attributionHtml(attribution) : '',
    ...deciding.map(chartFigureHtml),
    others.length
      ? `<details><summary>Other signals: ` +
        `${others.map((c) => escapeHtml(c.signal ? SIGNAL_NAMES[c.signal] : c.title)).join(', ')}</summary>\n` +
        `${others.map(chartFigureHtml).join('\n')}\n</details>`
      : '',
    '</section>',
  ].join('\n');
}

/** One model's attribution and how it was made. */
export type AttributionForModel = { model: ModelAttribution; tool: string; switches: number };

/** The attribution of this model in the run's results, if `run --attribute` made one. */
export function attributionFor(results: RunResults, modelKey: string): AttributionForModel | undefined {
  const attribution: Attribution | undefined = results.attribution;
  const model = attribution?.models.find((m) => m.modelKey === modelKey);
  return attribution && model ? { model, tool: attribution.tool, switches: attribution.switches } : undefined;
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** "Where it leaks": the model's top growing allocation sites, with their stacks folded away. */
export function attributionHtml({ model, tool, switches }: AttributionForModel): string {
  const sites = model.growingSites.slice(0, TOP_SITES);
  const rows = sites.map((site) => [
    `+${formatBytes(site.bytesPerSwitch)}`,
    Number.isInteger(site.callsPerSwitch) ? site.callsPerSwitch : site.callsPerSwitch.toFixed(1),
    { html: `<code>${escapeHtml(describeFrame(site.firstFrame))}</code>` },
    basename(site.firstFrame.module),
    {
      html:
        `<details><summary>${site.stack.length} frames</summary><ol>` +
        `${site.stack.map((frame) => `<li><code>${escapeHtml(describeFrame(frame))}</code></li>`).join('')}</ol></details>`,
    },
  ]);
  return [
    `<h3>Where it leaks</h3>`,
    `<p class="muted">${escapeHtml(`${tool}, ${switches} switches: ${formatCoverage(model)}. `)}` +
      `${escapeHtml(`Top ${TOP_SITES} of ${model.growingSites.length} growing sites.`)}</p>`,
    sites.length
      ? htmlTable(['bytes / switch', 'calls / switch', 'first engine frame', 'library', 'stack to the C API'], rows, {
          className: 'attribution',
          numeric: [0, 1],
        })
      : '<p>No allocation site in the engine grows: the growth is outside malloc or outside the engine.</p>',
  ].join('\n');
}

/** A chart inlined as SVG, with a link to its standalone copy (for pasting into an issue). */
export function chartFigureHtml(chart: RenderedChart): string {
  return [
    `<figure class="chart" id="chart-${escapeHtml(chart.id)}" data-chart="${escapeHtml(chart.id)}">`,
    chart.svg,
    `<figcaption>${escapeHtml(chart.title)} — standalone SVG: <a href="${escapeHtml(chart.fileName)}">` +
      `${escapeHtml(chart.fileName)}</a></figcaption>`,
    '</figure>',
  ].join('\n');
}
