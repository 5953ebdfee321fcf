/** The HTML report page: its sections (modelSectionHtml.ts, runSectionsHtml.ts) put together with one inline stylesheet. */
import { SIGNAL_NAMES } from '../../analysis/Signal.js';
import { worstFirst } from '../../analysis/Verdict.js';
import type { Analysis } from '../../analysis/analyzeResults.js';
import type { ModelJudgement } from '../../analysis/judgeModel.js';
import { leakingModelKeys } from '../../analysis/leakingModelKeys.js';
import type { RunResults } from '../../results/RunResults.js';
import { completedIterations } from '../../results/resultsFile.js';
import { formatBytes } from '../../units.js';
import type { RenderedChart } from '../charts/renderCharts.js';
import { VERDICT_COLORS } from '../charts/verdictColors.js';
import { escapeHtml } from './escapeHtml.js';
import { formatLedgerNote } from '../formatLedgerNote.js';
import { formatRetention } from '../formatRetention.js';
import { attributionFor, chartFigureHtml, modelAnchor, modelSectionHtml } from './modelSectionHtml.js';
import { countFindingsHtml, failureHtml, iterationTableHtml, provenanceHtml, summaryTableHtml } from './runSectionsHtml.js';

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
  const title =
    `leakgate report: ${judgement.verdict.toUpperCase()}${failed ? ` (run ${results.failure!.kind})` : ''} — ` +
    `${results.models.map((m) => m.label).join(', ')}`;
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
    `<h1>leakgate report <span class="badge ${judgement.verdict}" id="run-verdict">${judgement.verdict.toUpperCase()}</span>` +
      `${failed ? ` <span class="badge failed">${escapeHtml(results.failure!.kind.toUpperCase())}</span>` : ''}</h1>`,
    `<p class="lede">Scenario ${escapeHtml(results.scenario)} · ${completedIterations(results)} of ` +
      `${results.iterationsPlanned} iterations · ` +
      `${results.engine.reference ? 'reference engine' : 'libchatllm'} · started ${escapeHtml(results.startedAt)}</p>`,
    '<ul class="verdicts">',
    ...models.map(
      (m) =>
        `<li><a href="#${modelAnchor(m.modelKey)}">${escapeHtml(m.label)}</a>: <span class="badge ${m.verdict}">` +
        `${m.verdict.toUpperCase()}</span> ${escapeHtml(headline(m))}</li>`,
    ),
    // The whole process, per iteration (two models or more): its growth even when the models cannot be told apart.
    ...(judgement.process
      ? [
          `<li id="process">the process, all models: <span class="badge ${judgement.process.verdict}">` +
            `${judgement.process.verdict.toUpperCase()}</span> ${escapeHtml(judgement.process.explanations[0] ?? '')}</li>`,
        ]
      : []),
    '</ul>',
    '<p class="muted">Each chart plots, per switch (load → transcribe → unload), the memory left after unload — ' +
      'the series the verdict judged — with the warm-up shaded, the Theil–Sen line fitted after it and the 95 % CI of its slope ' +
      'drawn as a band pivoting at the window’s centre; below it, the four phases of each switch.</p>',
    ledgerNoteHtml(analysis),
    '</header>',
    failed ? `<h2 id="failure">Run failure</h2>\n${failureHtml(results)}` : '',
    ...models.map((m) =>
      modelSectionHtml(
        m,
        charts,
        leakingModelKeys(results, analysis).includes(m.modelKey) ? attributionFor(results, m.modelKey) : undefined,
        analysis.engineSites.find((sites) => sites.modelKey === m.modelKey),
      ),
    ),
    '<h2 id="unload-checks">What unloads give back: fds, threads, mappings</h2>',
    countFindingsHtml(analysis.judgement.counts),
    retentionHtml(analysis),
    `<h2 id="summary">Summary (${analysis.summary.iterations} iterations)</h2>`,
    summaryTableHtml(analysis.summary),
    '<h2 id="performance">TTFT, speed and WER</h2>',
    ...runWide.map(chartFigureHtml),
    `<details><summary>Every iteration (${results.records.length} model-iterations)</summary>\n${iterationTableHtml(results)}\n</details>`,
    '<h2 id="provenance">Engine, models and settings</h2>',
    provenanceHtml(results),
    `<footer>Written by leakgate ${escapeHtml(results.leakgateVersion)}. Charts drawn with Vega-Lite; every chart is also a standalone ` +
      `SVG file next to this page.</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The console's "Note: allocation ledger: its tables filled …" when the ledger lost count; empty when it did not. */
function ledgerNoteHtml(analysis: Analysis): string {
  const note = formatLedgerNote(analysis.uncountedEngineAllocations);
  return note ? `<p id="ledger-note"><strong>Note:</strong> ${escapeHtml(note)}</p>` : '';
}

/** What the allocator keeps after unload (the console's lines, one item each); empty when not measured. */
function retentionHtml(analysis: Analysis): string {
  const text = formatRetention(analysis.retention);
  if (!text) return '';
  // The first two lines are the console's blank line and heading.
  const items = text
    .split('\n')
    .slice(2)
    .map((line) => `<li>${escapeHtml(line.trim())}</li>`);
  return `<h2 id="allocator-retention">What the allocator keeps after unload</h2>\n<ul>\n${items.join('\n')}\n</ul>`;
}

/** The report's only stylesheet, inlined so the page needs nothing from the network. */
const REPORT_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0;
--leak: ${VERDICT_COLORS.leak}; --undecided: ${VERDICT_COLORS.undecided};
--plateau: ${VERDICT_COLORS.plateau}; --clean: ${VERDICT_COLORS.clean}; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 Helvetica, Arial, "Liberation Sans", sans-serif; color: var(--ink); background: #f6f8fa; }
main { max-width: 920px; margin: 0 auto; padding: 20px 24px 40px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-top: 12px; border-top: 1px solid var(--rule); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.lede, .muted, figcaption { color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 0.8em; font-weight: bold;
vertical-align: 2px; letter-spacing: 0.03em; }
.badge.leak { background: var(--leak); } .badge.undecided { background: var(--undecided); }
.badge.plateau { background: var(--plateau); } .badge.clean { background: var(--clean); }
.badge.failed { background: #82071e; }
.model { border-left: 4px solid var(--rule); padding-left: 14px; }
.model.leak { border-left-color: var(--leak); } .model.undecided { border-left-color: var(--undecided); }
.model.plateau { border-left-color: var(--plateau); } .model.clean { border-left-color: var(--clean); }
.model h2 { border-top: none; padding-top: 0; }
ul.verdicts { padding-left: 18px; margin: 8px 0; }
ul.explanations { padding-left: 18px; margin: 6px 0 10px; }
ul.explanations li:first-child { font-weight: bold; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--rule); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.deciding td { font-weight: bold; }
figure { margin: 12px 0; }
figure svg { max-width: 100%; height: auto; display: block; }
details { margin: 8px 0; }
summary { cursor: pointer; color: #0b5cad; }
.alert { border: 1px solid #cf222e; background: #fff5f5; padding: 8px 12px; border-radius: 6px; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;
