import { formatBytes } from '../units.js';
import type { Comparison, GateOutcome } from '../gate/evaluateGate.js';
import { sectionHeading } from './sectionHeading.js';
import { untrustedText } from '../untrustedText.js';

const value = (metric: string, v: number | null): string => (v === null ? 'n/a' : metric.includes('Bytes') ? formatBytes(v) : v.toFixed(2));

/** The gate's verdict: PASS, or FAIL with every violation and, for each, baseline, measured, tolerance and ratio. */
export function formatGate(outcome: GateOutcome, baselineFile: string | null): string {
  const lines = sectionHeading(`Gate: ${outcome.passed ? 'PASS' : 'FAIL'}`);
  lines.push(
    outcome.baseline
      ? `Baseline: ${baselineFile}`
      : `Baseline: none${baselineFile ? ` (${baselineFile} does not exist)` : ''}: no leak is tolerated, no metric is compared`,
  );
  if (outcome.failure.status === 'known') lines.push(`  ✓ ${outcome.failure.line}`);
  // Names and reasons come from the engine's debug info and the baseline file: text, never a command.
  for (const line of outcome.acceptances) lines.push(`  ✓ ${untrustedText(line)}`);
  for (const violation of outcome.violations) {
    lines.push(`  ✗ [${violation.kind}] ${violation.message}`);
    if (violation.comparison) lines.push(`      ${describeComparison(violation.comparison)}`);
    if (violation.evidence) {
      const e = violation.evidence;
      lines.push(
        `      evidence: ${e.signal} slope ${formatBytes(e.slopeBytesPerSwitch)}/switch, 95% CI ` +
          `${e.ci95Bytes ? `[${formatBytes(e.ci95Bytes[0])}, ${formatBytes(e.ci95Bytes[1])}]` : 'n/a'}, floor ` +
          `${formatBytes(e.floorBytesPerSwitch)}, ` +
          `warm-up ${e.warmupSwitches}, ${e.switchesUsed} switches`,
      );
    }
  }
  const compared = outcome.comparisons.filter((c) => c.status === 'pass' || c.status === 'fail');
  if (compared.length > 0) {
    lines.push(
      '',
      `${'model'.padEnd(12)} ${'metric'.padEnd(28)} ${'baseline'.padStart(12)} ${'measured'.padStart(12)} ${'allowed'.padStart(12)} ` +
        `${'ratio'.padStart(7)}  result`,
    );
    for (const c of compared) {
      lines.push(
        `${c.label.padEnd(12)} ${c.metric.padEnd(28)} ${value(c.metric, c.baseline).padStart(12)} ` +
          `${value(c.metric, c.measured).padStart(12)} ` +
          `${((c.worse === 'bigger' ? '+' : '-') + value(c.metric, c.allowed)).padStart(12)} ` +
          `${(c.ratio === null ? 'n/a' : c.ratio.toFixed(2)).padStart(7)}  ${c.status}`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** "baseline 1.0 MiB, measured 3.0 MiB, allowed +512.0 KiB, ratio 3.00" */
export function describeComparison(c: Comparison): string {
  return (
    `baseline ${value(c.metric, c.baseline)}, measured ${value(c.metric, c.measured)}, allowed ${c.worse === 'bigger' ? '+' : '-'}` +
    `${value(c.metric, c.allowed)}, ratio ${c.ratio === null ? 'n/a' : c.ratio.toFixed(2)}`
  );
}
