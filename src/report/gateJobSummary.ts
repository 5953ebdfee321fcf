import { formatLedgerNote } from './formatLedgerNote.js';
import { formatPatches } from './formatPatches.js';
import { markdownText, mermaidText } from './markdownText.js';
import { untrustedText } from '../untrustedText.js';
import { formatBytes, MIB } from '../units.js';
import { fromRunResults } from '../analysis/fromRunResults.js';
import type { Analysis } from '../analysis/analyzeResults.js';
import type { GateOutcome } from '../gate/evaluateGate.js';
import type { RunResults } from '../results/RunResults.js';
import { SIGNAL_NAMES } from '../analysis/Signal.js';
import { leakingModelKeys } from '../analysis/leakingModelKeys.js';
import { formatTopSites } from './formatAttribution.js';
import { engineSiteLabel } from './formatEngineSites.js';
import { signalTimelines } from './charts/signalTimelines.js';
import { VERDICT_COLORS } from './charts/verdictColors.js';
import { worstFirst } from '../analysis/Verdict.js';

const cell = (metric: string, v: number | null): string => (v === null ? '–' : metric.includes('Bytes') ? formatBytes(v) : v.toFixed(2));

/**
 * Markdown for $GITHUB_STEP_SUMMARY: the result and the failing model, signal and numbers first,
 * then the verdict table per model and signal, then the metric comparisons.
 */
export function gateJobSummary(results: RunResults, analysis: Analysis, gate: GateOutcome, baselineFile: string): string {
  const lines: string[] = [];
  lines.push(`## leakgate: ${gate.passed ? '✅ PASS' : '❌ FAIL'} — verdict ${analysis.judgement.verdict}`, '');
  if (gate.failure.status === 'known') lines.push(`- ✓ ${markdownText(gate.failure.line)}`, '');
  for (const v of gate.violations) {
    const e = v.evidence;
    const numbers = e
      ? ` — ${e.signal} ${formatBytes(e.slopeBytesPerSwitch)}/switch (95% CI ` +
        `${e.ci95Bytes ? `${formatBytes(e.ci95Bytes[0])} to ${formatBytes(e.ci95Bytes[1])}` : 'n/a'})`
      : v.comparison
        ? ` — measured ${cell(v.comparison.metric, v.comparison.measured)}, baseline ${cell(v.comparison.metric, v.comparison.baseline)}`
        : '';
    lines.push(`- **${v.kind}** ${markdownText(v.label)}: ${markdownText(v.message)}${numbers}`);
  }
  if (gate.violations.length) lines.push('');
  const ledgerNote = formatLedgerNote(analysis.uncountedEngineAllocations);
  if (ledgerNote) lines.push(`Note: ${markdownText(ledgerNote)}`, '');
  lines.push(
    `Engine ${markdownText(results.engine.path)}${results.engine.reference ? ' (reference engine)' : ''}` +
      `${results.engine.chatllmCommit ? ` at chatllm.cpp \`${results.engine.chatllmCommit.slice(0, 12)}\`` : ''}` +
      `${results.engine.reference ? '' : ` (patches: ${formatPatches(results.engine.patches)})`}; scenario ${results.scenario}; ` +
      `${analysis.summary.iterations} iterations; baseline ${markdownText(baselineFile)}${gate.baseline ? '' : ' (none)'}.`,
    '',
    '| model | signal | slope / switch | 95% CI | warm-up | floor | verdict |',
    '| --- | --- | ---: | --- | ---: | ---: | --- |',
  );
  const { process, counts } = analysis.judgement;
  const judged = [...analysis.judgement.models, ...(process ? [{ ...process, label: 'process (per iteration)' }] : [])];
  for (const model of judged) {
    for (const e of model.evidence) {
      const ci = e.ci95Bytes ? `${formatBytes(e.ci95Bytes[0])} … ${formatBytes(e.ci95Bytes[1])}` : '–';
      const deciding = e.signal === model.decidedBy ? '**' : '';
      lines.push(
        `| ${markdownText(model.label)} | ${deciding}${e.signal}${deciding} | ${formatBytes(e.slopeBytesPerSwitch)} | ${ci} | ` +
          `${e.warmupSwitches} | ${formatBytes(e.floorBytesPerSwitch)} | ${e.verdict} |`,
      );
    }
  }
  const shownCounts = counts.filter((c) => c.verdict !== 'clean');
  if (shownCounts.length) {
    lines.push('', '| model | count | verdict | per switch | what stayed |', '| --- | --- | --- | ---: | --- |');
    for (const c of shownCounts)
      lines.push(
        `| ${markdownText(c.label)} | ${c.kind} | ${c.verdict} | ${c.perSwitch.toFixed(1)} | ` +
          `${markdownText(c.leftBehind.join('; ') || c.message)} |`,
      );
  }
  const growingSites = analysis.engineSites.filter((model) => model.sites.length > 0);
  if (growingSites.length) {
    const labels = new Map(results.models.map((m) => [m.key, m.label]));
    lines.push(
      '',
      '### Engine allocation sites that grow',
      '',
      'The allocation ledger, exact, after warm-up.',
      '',
      '| model | bytes / switch | blocks / switch | share of the slope | function | file:line |',
      '| --- | ---: | ---: | ---: | --- | --- |',
    );
    for (const model of growingSites) {
      for (const site of model.sites) {
        const { name, where, share } = engineSiteLabel(site);
        lines.push(
          `| ${markdownText(labels.get(model.modelKey) ?? model.modelKey)} | +${formatBytes(site.bytesPerSwitch)} | ` +
            `${site.blocksPerSwitch.toFixed(1)} | ${share ?? '–'} | ${markdownText(name)} | ${where ? markdownText(where) : '–'} |`,
        );
      }
    }
  }
  const sites = formatTopSites(results.attribution, leakingModelKeys(results, analysis));
  if (sites)
    lines.push(
      '',
      '### Where it leaks',
      '',
      '```',
      sites
        .split('\n')
        .map((line) => untrustedText(line).replace(/`/g, "'"))
        .join('\n'),
      '```',
    );
  const compared = gate.comparisons.filter((c) => c.status === 'pass' || c.status === 'fail');
  if (compared.length) {
    lines.push(
      '',
      '| model | metric | baseline | measured | allowed | ratio | result |',
      '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    );
    for (const c of compared) {
      lines.push(
        `| ${markdownText(c.label)} | ${c.metric} | ${cell(c.metric, c.baseline)} | ${cell(c.metric, c.measured)} | ` +
          `${c.worse === 'bigger' ? '+' : '−'}${cell(c.metric, c.allowed)} | ${c.ratio === null ? '–' : c.ratio.toFixed(2)} | ` +
          `${c.status === 'fail' ? '❌' : '✅'} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * Charts for $GITHUB_STEP_SUMMARY, to append after gateJobSummary's lines: per model (worst verdict
 * first) a Mermaid `xychart-beta` line of the deciding signal (heap in use when measured) after each
 * unload, in MiB — the series the verdict judged, with the baseline before the first load as switch 0 —
 * then where the full report is. GitHub renders Mermaid in job summaries; images by relative path it
 * does not, hence no <img>. `reportArtifact` null leaves the report line out.
 */
export function mermaidTimeline(results: RunResults, analysis: Analysis, reportArtifact: string | null = 'leakgate-report'): string {
  const timelines = signalTimelines(results, fromRunResults(results), analysis.judgement.models).filter((t) => t.deciding);
  const models = worstFirst(analysis.judgement.models);
  const lines: string[] = [];
  for (const model of models) {
    const timeline = timelines.find((t) => t.modelKey === model.modelKey);
    if (!timeline || timeline.points.length < 2) continue;
    const e = timeline.evidence;
    const name = SIGNAL_NAMES[e.signal];
    const values = timeline.points.map((p) => p.bytes / MIB);
    const low = Math.min(...values);
    const high = Math.max(...values);
    const pad = high > low ? (high - low) * 0.1 : 0.5;
    const quoted = (text: string): string => `"${mermaidText(text)}"`;
    lines.push(
      `**${markdownText(model.label)}**: ${model.verdict.toUpperCase()} — ${name} ${e.slopeBytesPerSwitch >= 0 ? '+' : ''}` +
        `${formatBytes(e.slopeBytesPerSwitch)}/switch after ${e.warmupSwitches} warm-up switch(es)`,
      '',
      '```mermaid',
      // The line in the verdict's colour, and short: the summary lists several models.
      `%%{init: {"xyChart": {"width": 640, "height": 240}, "themeVariables": {"xyChart": {"plotColorPalette": "` +
        `${VERDICT_COLORS[model.verdict]}"}}}}%%`,
      'xychart-beta',
      `    title ${quoted(`${model.label}: ${name} after unload (MiB), ${model.verdict}`)}`,
      `    x-axis "switch (0 = before the first load)" ${timeline.points[0]!.switchIndex} --> ${timeline.points.at(-1)!.switchIndex}`,
      `    y-axis "MiB" ${round(Math.max(0, low - pad))} --> ${round(high + pad)}`,
      `    line [${values.map(round).join(', ')}]`,
      '```',
      '',
    );
  }
  if (lines.length) lines.unshift('', '### Memory after each unload', '');
  if (reportArtifact) lines.push(`Full report: the \`${reportArtifact}\` artifact (report.html, with every chart also as an SVG).`, '');
  return lines.join('\n');
}

const round = (mib: number): string => String(Math.round(mib * 1000) / 1000);
