import { markdownText } from './markdownText.js';
import { formatBytes } from '../units.js';
import type { ModelJudgement } from '../analysis/judgeModel.js';
import type { CompareOutcome, CompareRow, FailureChange } from '../compare/compareRuns.js';
import { sectionHeading } from './sectionHeading.js';

/** A per-switch value in its unit: bytes readable, others with two decimals. */
const valueIn = (unit: string, v: number | null): string =>
  v === null ? 'n/a' : unit.startsWith('B') ? `${formatBytes(v)}${unit === 'B/switch' ? '/sw' : ''}` : v.toFixed(2);

const signedBytes = (v: number): string => `${v >= 0 ? '+' : '−'}${formatBytes(Math.abs(v))}`;

/** head vs base: "+256.0 KiB" for a difference, "×1.300" for a ratio. */
export const headVsBase = (row: CompareRow): string =>
  row.interval === null ? 'n/a' : row.kind === 'difference' ? signedBytes(row.interval.estimate) : `×${row.interval.estimate.toFixed(3)}`;

export const intervalText = (row: CompareRow): string =>
  row.interval === null
    ? `n/a (${row.switches.base}/${row.switches.head} switches)`
    : row.kind === 'difference'
      ? `${signedBytes(row.interval.low)} to ${signedBytes(row.interval.high)}`
      : `×${row.interval.low.toFixed(3)} to ×${row.interval.high.toFixed(3)}`;

export const allowedText = (row: CompareRow): string =>
  row.kind === 'difference' ? `+${formatBytes(row.tolerance)}` : `×${row.tolerance.toFixed(3)}`;

/** "leak (heapInUse +690.0 KiB/switch)" */
export function verdictText(judgement: ModelJudgement | null): string {
  if (!judgement) return 'not measured';
  const evidence = judgement.evidence.find((e) => e.signal === judgement.decidedBy);
  return evidence ? `${judgement.verdict} (${evidence.signal} ${signedBytes(evidence.slopeBytesPerSwitch)}/switch)` : judgement.verdict;
}

/** The failure change in one line, or null when neither engine failed. */
export function failureChangeText(change: FailureChange): string | null {
  switch (change.change) {
    case 'none':
      return null;
    case 'fixed':
      return `head fixes base's failure: base ${change.base.message}; head completed`;
    case 'new':
      return `head fails where base does not: ${change.head.message}`;
    case 'same':
      return `both fail the same way: ${change.head.message}`;
    case 'different':
      return `head fails differently: head ${change.head.message}; base ${change.base.message}`;
  }
}

/** The comparison for a terminal: result, failure changes first, verdicts side by side, then every metric. */
export function formatCompare(outcome: CompareOutcome): string {
  const lines = sectionHeading(`Compare (head vs base): ${outcome.passed ? 'PASS' : 'FAIL'}`);
  const width = Math.max(10, ...outcome.verdicts.map((v) => v.label.length + 1));
  const change = failureChangeText(outcome.failureChange);
  if (change) lines.push(`Failures: ${change}`);
  for (const u of outcome.unloadChanges) lines.push(`${u.kind} leak: base kept ${u.base}, head kept ${u.head} over the run`);
  for (const violation of outcome.violations) lines.push(`  ✗ ${violation}`);
  lines.push('', `${'model'.padEnd(width)} ${'base verdict'.padEnd(34)} head verdict`);
  for (const v of outcome.verdicts) lines.push(`${v.label.padEnd(width)} ${verdictText(v.base).padEnd(34)} ${verdictText(v.head)}`);
  lines.push(
    '',
    `${'model'.padEnd(width)} ${'metric'.padEnd(19)} ${'base'.padStart(13)} ${'head'.padStart(13)} ${'head vs base'.padStart(13)}  ` +
      `${'95% CI'.padEnd(26)} ${'allowed'.padStart(11)}  result`,
  );
  for (const row of outcome.rows) {
    lines.push(
      `${row.label.padEnd(width)} ${row.metric.padEnd(19)} ` +
        `${valueIn(row.unit, row.base).padStart(13)} ${valueIn(row.unit, row.head).padStart(13)} ${headVsBase(row).padStart(13)}  ` +
        `${intervalText(row).padEnd(26)} ${allowedText(row).padStart(11)}  ${row.status === 'fail' ? 'FAIL' : row.status}`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

/** The comparison as GitHub job-summary Markdown: the table leads, the failure change above it. */
export function compareJobSummary(outcome: CompareOutcome, heading = 'leakgate compare'): string {
  const lines = [`## ${heading}: ${outcome.passed ? '✅ PASS' : '❌ FAIL'} (head vs base, 95 % intervals)`, ''];
  const change = failureChangeText(outcome.failureChange);
  if (change) lines.push(`**Failures:** ${change}`, '');
  for (const u of outcome.unloadChanges) lines.push(`**${u.kind} leak:** base kept ${u.base}, head kept ${u.head} over the run`, '');
  for (const violation of outcome.violations) lines.push(`- ❌ ${markdownText(violation)}`);
  if (outcome.violations.length) lines.push('');
  lines.push(
    '| model | metric | base | head | head vs base | 95 % CI | allowed | result |',
    '| --- | --- | ---: | ---: | ---: | --- | ---: | --- |',
  );
  for (const row of outcome.rows) {
    lines.push(
      `| ${markdownText(row.label)} | ${row.metric} | ${valueIn(row.unit, row.base)} | ${valueIn(row.unit, row.head)} | ` +
        `${headVsBase(row)} | ${intervalText(row)} | ${allowedText(row)} | ` +
        `${row.status === 'fail' ? '❌ fail' : row.status === 'pass' ? '✅ pass' : row.status} |`,
    );
  }
  lines.push('', '| model | base verdict | head verdict |', '| --- | --- | --- |');
  for (const v of outcome.verdicts) lines.push(`| ${markdownText(v.label)} | ${verdictText(v.base)} | ${verdictText(v.head)} |`);
  return `${lines.join('\n')}\n`;
}
