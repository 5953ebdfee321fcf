import { formatBytes } from '../analysis/formatBytes.js';
import type { Analysis } from '../gate/analyzeResults.js';
import type { GateOutcome } from '../gate/evaluateGate.js';
import type { RunResults } from '../results/RunResults.js';

const cell = (metric: string, v: number | null): string => (v === null ? '–' : metric.includes('Bytes') ? formatBytes(v) : v.toFixed(2));

/**
 * Markdown for $GITHUB_STEP_SUMMARY: the result and the failing model, signal and numbers first,
 * then the verdict table per model and signal, then the metric comparisons.
 */
export function gateJobSummary(results: RunResults, analysis: Analysis, gate: GateOutcome, baselineFile: string): string {
  const lines: string[] = [];
  lines.push(`## leakgate: ${gate.passed ? '✅ PASS' : '❌ FAIL'} — verdict ${analysis.judgement.verdict}`, '');
  for (const v of gate.violations) {
    const e = v.evidence;
    const numbers = e
      ? ` — ${e.signal} ${formatBytes(e.slopeBytesPerSwitch)}/switch (95% CI ${e.ci95Bytes ? `${formatBytes(e.ci95Bytes[0])} to ${formatBytes(e.ci95Bytes[1])}` : 'n/a'})`
      : v.comparison
        ? ` — measured ${cell(v.comparison.metric, v.comparison.measured)}, baseline ${cell(v.comparison.metric, v.comparison.baseline)}`
        : '';
    lines.push(`- **${v.kind}** ${v.label}: ${v.message}${numbers}`);
  }
  if (gate.violations.length) lines.push('');
  lines.push(
    `Engine \`${results.engine.path}\`${results.engine.reference ? ' (reference engine)' : ''}${results.engine.chatllmCommit ? ` at chatllm.cpp \`${results.engine.chatllmCommit.slice(0, 12)}\`` : ''}; scenario ${results.scenario}; ${analysis.summary.iterations} iterations; baseline \`${baselineFile}\`${gate.baseline ? '' : ' (none)'}.`,
    '',
    '| model | signal | slope / switch | 95% CI | warm-up | floor | verdict |',
    '| --- | --- | ---: | --- | ---: | ---: | --- |',
  );
  for (const model of analysis.judgement.models) {
    for (const e of model.evidence) {
      const ci = e.ci95Bytes ? `${formatBytes(e.ci95Bytes[0])} … ${formatBytes(e.ci95Bytes[1])}` : '–';
      const deciding = e.signal === model.decidedBy ? '**' : '';
      lines.push(`| ${model.label} | ${deciding}${e.signal}${deciding} | ${formatBytes(e.slopeBytesPerSwitch)} | ${ci} | ${e.warmupSwitches} | ${formatBytes(e.floorBytesPerSwitch)} | ${e.verdict} |`);
    }
  }
  const compared = gate.comparisons.filter((c) => c.status === 'pass' || c.status === 'fail');
  if (compared.length) {
    lines.push('', '| model | metric | baseline | measured | allowed | ratio | result |', '| --- | --- | ---: | ---: | ---: | ---: | --- |');
    for (const c of compared) {
      lines.push(`| ${c.label} | ${c.metric} | ${cell(c.metric, c.baseline)} | ${cell(c.metric, c.measured)} | ${c.worse === 'bigger' ? '+' : '−'}${cell(c.metric, c.allowed)} | ${c.ratio === null ? '–' : c.ratio.toFixed(2)} | ${c.status === 'fail' ? '❌' : '✅'} |`);
    }
  }
  lines.push('');
  return lines.join('\n');
}
