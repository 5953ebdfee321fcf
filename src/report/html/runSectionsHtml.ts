/** The run's sections of the HTML report: summary, iterations, unload findings, failure, provenance. */
import type { CountFinding } from '../../analysis/judgeCounts.js';
import { describeFfmpegSource } from '../../ffmpeg/describeFfmpeg.js';
import { describeFrame, type NativeFrame } from '../../results/NativeFrame.js';
import { PHASES } from '../../results/ProbeSample.js';
import type { RunResults } from '../../results/RunResults.js';
import { completedIterations } from '../../results/resultsFile.js';
import type { RunSummary } from '../../results/summarizeRun.js';
import { formatBytesIn, MIB } from '../../units.js';
import { formatPatches } from '../formatPatches.js';
import { emptyTranscriptWarning, overallMemoryRows, SUMMARY_ROW_GROUPS } from '../formatSummary.js';
import { escapeHtml } from './escapeHtml.js';
import { htmlTable, type Cell } from './htmlTable.js';

const code = (text: string): { html: string } => ({ html: `<code>${escapeHtml(text)}</code>` });

/** What was measured with what: the engine and its commit, the model files and their hashes, the run's settings. */
export function provenanceHtml(results: RunResults): string {
  const { engine, config } = results;
  const run = htmlTable(
    ['', ''],
    [
      ['engine', code(engine.path)],
      ['engine sha256', code(engine.sha256)],
      ['engine kind', engine.reference ? "leakgate's reference engine (the test oracle, not chatllm.cpp)" : 'libchatllm'],
      ['chatllm.cpp commit', engine.chatllmCommit ? code(engine.chatllmCommit) : 'unknown'],
      [
        'ffmpeg',
        results.ffmpeg
          ? {
              html:
                `${code(results.ffmpeg.path).html}, version ${escapeHtml(results.ffmpeg.version)}, ` +
                `${escapeHtml(describeFfmpegSource(results.ffmpeg.source))}`,
            }
          : 'none (or not recorded)',
      ],
      ...(engine.reference ? [] : [['patches applied', formatPatches(engine.patches)] as [string, string]]),
      ['leakgate', results.leakgateVersion],
      ['scenario', results.scenario],
      ['iterations', `${completedIterations(results)} completed of ${results.iterationsPlanned} planned`],
      ['status', results.status],
      ['started', results.startedAt],
      ['finished', results.finishedAt ?? 'not finished'],
      ['threads', config.threads],
      ['context length', config.contextLength],
      ['language', config.language],
      ['audio', code(config.audioPath)],
      ['ground truth', config.truth ?? 'none (WER not scored)'],
      ['malloc_trim after unload', config.trim ? 'on' : 'off'],
      ['engine parameters', config.engineParams.length ? code(config.engineParams.join(' ')) : 'none'],
    ],
    { className: 'provenance' },
  );
  const models = htmlTable(
    ['model', 'key', 'kind', 'file', 'size', 'sha256 (first 16)'],
    results.models.map((m) => [m.label, code(m.key), m.kind, code(m.path), formatBytesIn(m.sizeBytes, 'MiB'), code(m.sha256Prefix)]),
    { className: 'models', numeric: [4] },
  );
  return `${run}\n${models}`;
}

/** One frame of a native stack: the function (or address), then the library it is in. */
function nativeFrameHtml(frame: NativeFrame): string {
  const library = frame.module.slice(frame.module.lastIndexOf('/') + 1);
  return `<li><code>${escapeHtml(describeFrame(frame))}</code> <span class="muted">${escapeHtml(library)}</span></li>`;
}

/** Why the run ended early (crash, hang, engine error, interruption), and what the failed switch measured; '' when it did not. */
export function failureHtml(results: RunResults): string {
  const failure = results.failure;
  if (!failure) return '';
  const label = results.models.find((m) => m.key === failure.modelKey)?.label ?? failure.modelKey ?? 'no model';
  const where = [
    `model ${label}`,
    `iteration ${failure.iteration}`,
    failure.step ? `during ${failure.step}` : 'while sampling',
    failure.signal ? `signal ${failure.signal}` : null,
    failure.timeoutMs !== null ? `timeout ${failure.timeoutMs} ms` : null,
  ].filter(Boolean);
  const phases = failure.partialCycle?.phases;
  const sampled = phases
    ? PHASES.flatMap((phase) => {
        const s = phases[phase];
        return s
          ? [
              `${phase}: RSS ${formatBytesIn(s.rssBytes, 'MiB')}` +
                `${s.heapInUseBytes === null ? '' : `, heap ${formatBytesIn(s.heapInUseBytes, 'MiB')}`}`,
            ]
          : [];
      })
    : [];
  return [
    '<div class="alert failure">',
    `<p><strong>The run ended early: ${escapeHtml(failure.kind)}</strong> — ${escapeHtml(where.join(', '))}.</p>`,
    `<p><code>${escapeHtml(failure.message)}</code></p>`,
    sampled.length ? `<p>Measured before the failure: ${escapeHtml(sampled.join(' → '))}</p>` : '',
    failure.partialCycle?.rawOutput ? `<p>Output so far: <code>${escapeHtml(failure.partialCycle.rawOutput)}</code></p>` : '',
    failure.nativeStack?.length
      ? `<details open><summary>Native stack of the crashing thread (innermost first)</summary><ol class="stack">` +
        `${failure.nativeStack.map(nativeFrameHtml).join('')}</ol></details>`
      : '',
    '</div>',
  ].join('\n');
}

/** A figure with `digits` decimals, or an empty cell. */
const fixed = (value: number | null, digits: number): Cell => (value === null ? null : value.toFixed(digits));

/** Every model-iteration: timings, TTFT, speed, WER, memory after unload and the transcript. */
export function iterationTableHtml(results: RunResults): string {
  const labels = new Map(results.models.map((m) => [m.key, m.label]));
  return htmlTable(
    [
      'iteration',
      'model',
      'load ms',
      'infer ms',
      'unload ms',
      'TTFT ms',
      'chars/s',
      'WER %',
      'heap MiB',
      'RssAnon MiB',
      'RSS MiB',
      'transcript',
    ],
    results.records.map((r) => {
      const after = r.phases.afterUnload;
      return [
        r.iteration,
        labels.get(r.modelKey) ?? r.modelKey,
        fixed(r.loadMs, 0),
        fixed(r.inferMs, 0),
        fixed(r.unloadMs, 0),
        fixed(r.ttftMs, 1),
        fixed(r.charsPerSecond, 1),
        fixed(r.werPercent, 1),
        fixed(after.heapInUseBytes === null ? null : after.heapInUseBytes / MIB, 2),
        fixed(after.rssAnonBytes / MIB, 2),
        fixed(after.rssBytes / MIB, 2),
        { html: r.transcript ? escapeHtml(r.transcript) : '<span class="muted">(empty)</span>' },
      ];
    }),
    { className: 'iterations', numeric: [0, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  );
}

/** The seed's Summary table (one column per model) and its Overall Memory figures. */
export function summaryTableHtml(summary: RunSummary): string {
  const models = htmlTable(
    ['Metric', ...summary.models.map((m) => `${m.label} Model`)],
    SUMMARY_ROW_GROUPS.flat()
      .filter((row) => !row.spread)
      .map((row) => [row.metric.trim(), ...summary.models.map((m) => fixed(row.pick(m), 2))]),
    { className: 'summary', numeric: summary.models.map((_, i) => i + 1) },
  );
  const overall = htmlTable(
    ['Overall Memory', ''],
    overallMemoryRows(summary).map(([metric, value, digits]) => [metric, fixed(value, digits)]),
    { className: 'overall', numeric: [1] },
  );
  const empty = summary.models
    .filter((m) => m.emptyTranscripts > 0)
    .map((m) => `<p class="alert">${escapeHtml(emptyTranscriptWarning(m))}</p>`);
  return [models, overall, ...empty].join('\n');
}

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
    shown.map((f) => [
      f.label,
      f.kind,
      f.verdict,
      f.perSwitch.toFixed(1),
      f.switches,
      f.firstIteration ?? '-',
      f.leftBehind.join('; ') || f.message,
    ]),
    { className: `alert unload`, numeric: [3, 4, 5] },
  );
}
