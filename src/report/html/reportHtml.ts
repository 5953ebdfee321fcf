import { formatBytes } from '../../units.js';
import type { ModelJudgement } from '../../analysis/judgeModel.js';
import type { Analysis } from '../../analysis/analyzeResults.js';
import type { RunResults } from '../../results/RunResults.js';
import { completedIterations } from '../../results/resultsFile.js';
import type { RenderedChart } from '../charts/renderCharts.js';
import { SIGNAL_NAMES } from '../../analysis/Signal.js';
import { worstFirst } from '../../analysis/Verdict.js';
import { chartFigureHtml } from './chartFigureHtml.js';
import { escapeHtml } from './escapeHtml.js';
import { failureHtml } from './failureHtml.js';
import { iterationTableHtml } from './iterationTableHtml.js';
import { leakingModelKeys } from '../../analysis/leakingModelKeys.js';
import { attributionFor } from './attributionHtml.js';
import { modelAnchor, modelSectionHtml } from './modelSectionHtml.js';
import { provenanceHtml } from './provenanceHtml.js';
import { REPORT_CSS } from './reportCss.js';
import { summaryTableHtml } from './summaryTableHtml.js';
import { countFindingsHtml } from './countFindingsHtml.js';

const signed = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${formatBytes(bytes)}`;

function headline(model: ModelJudgement): string {
  const e = model.evidence.find((x) => x.signal === model.decidedBy);
  if (!e) return 'no memory samples';
  const ci = e.ci95Bytes ? ` (95 % CI ${signed(e.ci95Bytes[0])} … ${signed(e.ci95Bytes[1])})` : '';
  return `${SIGNAL_NAMES[e.signal]} ${signed(e.slopeBytesPerSwitch)}/switch${ci} after ${e.warmupSwitches} warm-up switch(es)`;
}

/**
 * The whole report as one self-contained HTML page: charts inlined as SVG, one inline stylesheet,
 * no script and nothing fetched at view time. Models are listed worst verdict first.
 */
export function reportHtml(results: RunResults, analysis: Analysis, charts: readonly RenderedChart[]): string {
  const { judgement } = analysis;
  // Worst first, so the model that fails the gate is the first one on the page.
  const models = worstFirst(judgement.models);
  const runWide = charts.filter((c) => c.modelKey === null);
  const failed = results.failure !== null;
  const title = `leakgate report: ${judgement.verdict.toUpperCase()}${failed ? ` (run ${results.failure!.kind})` : ''} — ${results.models.map((m) => m.label).join(', ')}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header>',
    `<h1>leakgate report <span class="badge ${judgement.verdict}" id="run-verdict">${judgement.verdict.toUpperCase()}</span>${failed ? ` <span class="badge failed">${escapeHtml(results.failure!.kind.toUpperCase())}</span>` : ''}</h1>`,
    `<p class="lede">Scenario ${escapeHtml(results.scenario)} · ${completedIterations(results)} of ${results.iterationsPlanned} iterations · ` +
      `${results.engine.reference ? 'reference engine' : 'libchatllm'} · started ${escapeHtml(results.startedAt)}</p>`,
    '<ul class="verdicts">',
    ...models.map((m) => `<li><a href="#${modelAnchor(m.modelKey)}">${escapeHtml(m.label)}</a>: <span class="badge ${m.verdict}">${m.verdict.toUpperCase()}</span> ${escapeHtml(headline(m))}</li>`),
    // The whole process, per iteration (two models or more): its growth even when the models cannot be told apart.
    ...(judgement.process
      ? [`<li id="process">the process, all models: <span class="badge ${judgement.process.verdict}">${judgement.process.verdict.toUpperCase()}</span> ${escapeHtml(judgement.process.explanations[0] ?? '')}</li>`]
      : []),
    '</ul>',
    '<p class="muted">Each chart plots, per switch (load → transcribe → unload), the memory left after unload — the series the verdict judged — ' +
      'with the warm-up shaded, the Theil–Sen line fitted after it and the 95 % CI of its slope drawn as a band pivoting at the window’s centre; below it, the four phases of each switch.</p>',
    '</header>',
    failed ? `<h2 id="failure">Run failure</h2>\n${failureHtml(results)}` : '',
    ...models.map((m) => modelSectionHtml(m, charts, leakingModelKeys(results, analysis).includes(m.modelKey) ? attributionFor(results, m.modelKey) : undefined)),
    '<h2 id="unload-checks">What unloads give back: fds, threads, mappings</h2>',
    countFindingsHtml(analysis.judgement.counts),
    `<h2 id="summary">Summary (${analysis.summary.iterations} iterations)</h2>`,
    summaryTableHtml(analysis.summary),
    '<h2 id="performance">TTFT, speed and WER</h2>',
    ...runWide.map(chartFigureHtml),
    `<details><summary>Every iteration (${results.records.length} model-iterations)</summary>\n${iterationTableHtml(results)}\n</details>`,
    '<h2 id="provenance">Engine, models and settings</h2>',
    provenanceHtml(results),
    `<footer>Written by leakgate ${escapeHtml(results.leakgateVersion)}. Charts drawn with Vega-Lite; every chart is also a standalone SVG file next to this page.</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
