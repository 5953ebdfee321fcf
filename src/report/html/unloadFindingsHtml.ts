import type { UnloadFinding } from '../../analysis/checks/UnloadCheck.js';
import type { RunResults } from '../../results/RunResults.js';
import { htmlTable } from './htmlTable.js';

/** What destroy left behind (model mappings, fds, threads), one row per finding; a line saying none otherwise. */
export function unloadFindingsHtml(findings: readonly UnloadFinding[], results: RunResults): string {
  if (findings.length === 0) {
    return '<p>Every destroy released the model file mappings, file descriptors and threads it took.</p>';
  }
  const labels = new Map(results.models.map((m) => [m.key, m.label]));
  return htmlTable(
    ['model', 'iteration', 'check', 'before load', 'after unload', 'finding'],
    findings.map((f) => [labels.get(f.modelKey) ?? f.modelKey, f.iteration, f.kind, f.before, f.after, f.message]),
    { className: 'alert unload', numeric: [1, 3, 4] },
  );
}
