import type { CountFinding } from '../../analysis/judgeCounts.js';
import { htmlTable } from './htmlTable.js';

/**
 * What unloads gave back and what they did not (fds, threads, model-file mappings), one row per model
 * and count that is not clean; a line saying all came back otherwise.
 */
export function countFindingsHtml(findings: readonly CountFinding[]): string {
  const shown = findings.filter((f) => f.verdict !== 'clean');
  if (shown.length === 0) {
    return '<p>Every destroy released the model file mappings, file descriptors and threads it took.</p>';
  }
  return htmlTable(
    ['model', 'count', 'verdict', 'per switch', 'switches', 'first left at', 'what stayed'],
    shown.map((f) => [f.label, f.kind, f.verdict, f.perSwitch.toFixed(1), f.switches, f.firstIteration ?? '-', f.leftBehind.join('; ') || f.message]),
    { className: `alert unload`, numeric: [3, 4, 5] },
  );
}
