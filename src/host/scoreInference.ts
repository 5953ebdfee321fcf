import type { TimedChunk } from '../protocol/WorkerMessage.js';
import type { ModelIteration } from '../results/RunResults.js';
import { normalizeTranscript } from '../transcript/normalizeTranscript.js';
import { seedWerPercent } from '../transcript/seedWerPercent.js';
import { TranscriptExtractor } from '../transcript/TranscriptExtractor.js';

type Scores = Pick<ModelIteration, 'ttftMs' | 'charsPerSecond' | 'rawOutput' | 'language' | 'transcriptZhTw' | 'transcript' | 'werPercent'>;

/**
 * Transcript, TTFT and speed of one inference from its timed chunks. TTFT is the arrival of the first
 * chunk that adds transcript text (markers excluded); chars/s counts transcript characters without
 * whitespace over the time from the first to the last transcript chunk, as the seed defined it.
 */
export function scoreInference(chunks: readonly TimedChunk[], truth: string | null): Scores {
  const extractor = new TranscriptExtractor();
  let firstMs: number | null = null;
  let lastMs: number | null = null;
  for (const chunk of chunks) {
    if (extractor.push(chunk.text) > 0) {
      firstMs ??= chunk.atMs;
      lastMs = chunk.atMs;
    }
  }
  const { language, transcript: extracted } = extractor.result();
  const { zhTw, itn } = normalizeTranscript({ transcript: extracted });
  const chars = extracted.replace(/\s/g, '').length;
  const spanMs = firstMs !== null && lastMs !== null ? lastMs - firstMs : 0;
  return {
    ttftMs: firstMs,
    charsPerSecond: spanMs > 0 ? chars / (spanMs / 1000) : null,
    rawOutput: chunks.map((chunk) => chunk.text).join(''),
    language,
    transcriptZhTw: zhTw,
    transcript: itn,
    werPercent: truth === null ? null : seedWerPercent(truth, itn),
  };
}
