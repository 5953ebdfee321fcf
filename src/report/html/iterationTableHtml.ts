import type { RunResults } from '../../results/RunResults.js';
import { escapeHtml } from './escapeHtml.js';
import { htmlTable, type Cell } from './htmlTable.js';
import { MIB } from '../../units.js';

const fixed = (value: number | null, digits = 1): Cell => (value === null ? null : value.toFixed(digits));

/** Every model-iteration: timings, TTFT, speed, WER, memory after unload and the transcript. */
export function iterationTableHtml(results: RunResults): string {
  const labels = new Map(results.models.map((m) => [m.key, m.label]));
  return htmlTable(
    ['iteration', 'model', 'load ms', 'infer ms', 'unload ms', 'TTFT ms', 'chars/s', 'WER %', 'heap MiB', 'RssAnon MiB', 'RSS MiB', 'transcript'],
    results.records.map((r) => {
      const after = r.phases.afterUnload;
      return [
        r.iteration,
        labels.get(r.modelKey) ?? r.modelKey,
        fixed(r.loadMs, 0),
        fixed(r.inferMs, 0),
        fixed(r.unloadMs, 0),
        fixed(r.ttftMs),
        fixed(r.charsPerSecond),
        fixed(r.werPercent),
        fixed(after.heapInUseBytes === null ? null : after.heapInUseBytes / MIB, 2),
        fixed(after.rssAnonBytes / MIB, 2),
        fixed(after.rssBytes / MIB, 2),
        { html: r.transcript ? escapeHtml(r.transcript) : '<span class="muted">(empty)</span>' },
      ];
    }),
    { className: 'iterations', numeric: [0, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  );
}
