import { judgedSeries } from '../analysis/judgedSeries.js';
import { formatBytes } from '../analysis/formatBytes.js';
import type { RunJudgement } from '../analysis/judgeRun.js';
import { fromRunResults } from '../analysis/fromRunResults.js';
import type { ModelSeries, Signal } from '../analysis/Signal.js';
import type { Analysis } from '../gate/analyzeResults.js';
import type { RunResults } from '../results/RunResults.js';
import { sparkline } from './sparkline.js';

const RULE = '='.repeat(70);
const signed = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${formatBytes(bytes)}`;

const SIGNAL_NAME: Record<Signal, string> = { heapInUse: 'heap in use', rssAnon: 'RssAnon', rss: 'RSS' };

/**
 * The verdict section: per model the verdict, the evidence of each signal (slope and 95 % CI per
 * switch after warm-up, floor, switches used), a sparkline of heap in use after unload, and remarks.
 */
export function formatVerdict(analysis: Analysis, results: RunResults): string {
  const lines = formatJudgement(analysis.judgement, fromRunResults(results));
  if (analysis.unloadFindings.length > 0) {
    lines.push('', 'Unload checks failed:');
    const labels = new Map(results.models.map((m) => [m.key, m.label]));
    for (const f of analysis.unloadFindings) lines.push(`  ✗ [${labels.get(f.modelKey) ?? f.modelKey}] iteration ${f.iteration}: ${f.message}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** The verdict lines of a judgement, with a sparkline of the series the verdict read for each model. */
export function formatJudgement(judgement: RunJudgement, series: readonly ModelSeries[]): string[] {
  const lines = ['', RULE, `Verdict: ${judgement.verdict.toUpperCase()}`, RULE];
  for (const model of judgement.models) {
    lines.push('', `[${model.label}] ${model.verdict.toUpperCase()}${model.decidedBy ? ` (decided by ${SIGNAL_NAME[model.decidedBy]})` : ''}`);
    for (const e of model.evidence) {
      const ci = e.ci95Bytes ? `[${signed(e.ci95Bytes[0])}, ${signed(e.ci95Bytes[1])}]` : '[n/a]';
      lines.push(
        `  ${SIGNAL_NAME[e.signal].padEnd(11)} ${e.verdict.padEnd(7)} slope ${signed(e.slopeBytesPerSwitch)}/switch, 95% CI ${ci}, ` +
          `floor ${formatBytes(e.floorBytesPerSwitch)}, warm-up ${e.warmupSwitches}, ${e.switchesUsed} switches used`,
      );
    }
    const modelSeries = series.find((s) => s.modelKey === model.modelKey);
    const values = modelSeries && model.decidedBy ? judgedSeries(modelSeries, model.decidedBy).values : [];
    if (values.length > 1) {
      // The sparkline stretches any range over its eight bars: print the range so a flat line reads as flat.
      const spanBytes = Math.max(...values) - Math.min(...values);
      lines.push(`  ${SIGNAL_NAME[model.decidedBy!]} judged ${sparkline(values)} ${formatBytes(values[0]!)} → ${formatBytes(values.at(-1)!)} (range ${formatBytes(spanBytes)})`);
    }
    for (const explanation of model.explanations) lines.push(`  · ${explanation}`);
  }
  return lines;
}
