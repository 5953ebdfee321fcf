import { judgedSeries } from '../analysis/judgedSeries.js';
import { formatBytes } from '../units.js';
import type { RunJudgement } from '../analysis/judgeRun.js';
import { SIGNAL_NAMES, type ModelSeries, type ProcessLevels } from '../analysis/Signal.js';
import type { SignalEvidence } from '../analysis/SignalEvidence.js';
import type { Analysis } from '../analysis/analyzeResults.js';
import { sparkline } from './sparkline.js';
import { sectionHeading } from './sectionHeading.js';

const signed = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${formatBytes(bytes)}`;

/** The verdict section of a run: per model, the process and the counts (see formatJudgement). */
export function formatVerdict(analysis: Analysis): string {
  return [...formatJudgement(analysis.judgement, analysis.series, analysis.processLevels), ''].join('\n');
}

/** One signal's evidence; `step` names what one sample spans: a model's switch, or the process's iteration. */
function evidenceLine(e: SignalEvidence, step: 'switch' | 'iteration' = 'switch'): string {
  const ci = e.ci95Bytes ? `[${signed(e.ci95Bytes[0])}, ${signed(e.ci95Bytes[1])}]` : '[n/a]';
  return (
    `  ${SIGNAL_NAMES[e.signal].padEnd(14)} ${e.verdict.padEnd(9)} slope ${signed(e.slopeBytesPerSwitch)}/${step}, 95% CI ${ci}, ` +
    `floor ${formatBytes(e.floorBytesPerSwitch)}, warm-up ${e.warmupSwitches}, ${e.switchesUsed} ` +
    `${step === 'switch' ? 'switches' : 'iterations'} used` +
    (e.moreSwitchesNeeded !== null ? `, ${e.moreSwitchesNeeded} more needed` : '')
  );
}

/** "▁▂▃▅▇ 5.0 MiB → 9.0 MiB (range 4.0 MiB)": the sparkline stretches any range, so print it too. */
function judgedLine(name: string, values: readonly number[]): string | null {
  if (values.length < 2) return null;
  const spanBytes = Math.max(...values) - Math.min(...values);
  return (
    `  ${name} judged ${sparkline(values)} ${formatBytes(values[0]!)} → ${formatBytes(values.at(-1)!)} (range ` +
    `${formatBytes(spanBytes)})`
  );
}

/**
 * The verdict lines of a judgement: per model the verdict, each signal's evidence (slope and 95 % CI
 * per switch after warm-up, floor, switches used, how many more an undecided verdict needs), a
 * sparkline of the series the verdict read, and remarks; then the whole process (two models or more),
 * and what unloads did not give back (fds, threads, mappings).
 */
export function formatJudgement(judgement: RunJudgement, series: readonly ModelSeries[], processLevels?: ProcessLevels): string[] {
  const lines = sectionHeading(`Verdict: ${judgement.verdict.toUpperCase()}`);
  for (const model of judgement.models) {
    lines.push(
      '',
      `[${model.label}] ${model.verdict.toUpperCase()}${model.decidedBy ? ` (decided by ${SIGNAL_NAMES[model.decidedBy]})` : ''}`,
    );
    for (const e of model.evidence) lines.push(evidenceLine(e));
    const modelSeries = series.find((s) => s.modelKey === model.modelKey);
    const judged =
      modelSeries && model.decidedBy ? judgedLine(SIGNAL_NAMES[model.decidedBy], judgedSeries(modelSeries, model.decidedBy).values) : null;
    if (judged) lines.push(judged);
    for (const explanation of model.explanations) lines.push(`  · ${explanation}`);
  }
  const process = judgement.process;
  if (process) {
    lines.push(
      '',
      `[process, all models] ${process.verdict.toUpperCase()}` +
        `${process.decidedBy ? ` (decided by ${SIGNAL_NAMES[process.decidedBy]})` : ''}`,
    );
    for (const e of process.evidence) lines.push(evidenceLine(e, 'iteration'));
    const judged =
      process.decidedBy && processLevels?.[process.decidedBy]
        ? judgedLine(SIGNAL_NAMES[process.decidedBy], processLevels[process.decidedBy]!)
        : null;
    if (judged) lines.push(judged);
    for (const explanation of process.explanations) lines.push(`  · ${explanation}`);
  }
  const counts = judgement.counts.filter((c) => c.verdict !== 'clean');
  if (counts.length > 0) {
    lines.push('', 'What unloads did not give back:');
    for (const c of counts) lines.push(`  ${c.verdict === 'leak' ? '✗' : c.verdict === 'undecided' ? '?' : '·'} [${c.label}] ${c.message}`);
  } else if (judgement.counts.length > 0) {
    lines.push('', 'Every unload gave back its fds, threads and model-file mappings.');
  }
  return lines;
}
