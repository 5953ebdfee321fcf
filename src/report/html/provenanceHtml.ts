import { describeFfmpegSource } from '../../ffmpeg/describeFfmpeg.js';
import type { RunResults } from '../../results/RunResults.js';
import { completedIterations } from '../../results/resultsFile.js';
import { formatPatches } from '../formatPatches.js';
import { escapeHtml } from './escapeHtml.js';
import { htmlTable } from './htmlTable.js';
import { formatBytesIn } from '../../units.js';

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
      ['ffmpeg', results.ffmpeg ? { html: `${code(results.ffmpeg.path).html}, version ${escapeHtml(results.ffmpeg.version)}, ${escapeHtml(describeFfmpegSource(results.ffmpeg.source))}` } : 'none (or not recorded)'],
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
