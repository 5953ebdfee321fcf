import type { RunJudgement } from '../analysis/judgeRun.js';
import type { ModelSeries, ProcessLevels } from '../analysis/Signal.js';
import { formatJudgement } from './formatVerdict.js';

/** The verdict on a seed results file: RSS only, so every verdict says what RSS cannot tell. */
export function formatSeedVerdict(judgement: RunJudgement, series: readonly ModelSeries[], processLevels: ProcessLevels): string {
  const lines = formatJudgement(judgement, series, processLevels);
  lines.push(
    '',
    'Note: the seed recorded RSS only. RSS mixes allocator retention and mmapped model pages with leaks;',
    'rerun with leakgate run to judge on heap in use and RssAnon.',
    '',
  );
  return lines.join('\n');
}
