import type { TranscriptExtraction } from './TranscriptExtractor.js';
import { inverseTextNormalize } from './inverseTextNormalize.js';
import { toTraditionalTw } from './toTraditionalTw.js';

/** A transcript in the forms users read and that the error rates are computed on. */
export interface NormalizedTranscript {
  /** Traditional Chinese with Taiwan phrases (s2twp), numerals still in words. */
  zhTw: string;
  /** zhTw with Chinese numerals as ASCII digits: the text compared against the truth. */
  itn: string;
}

/**
 * The seed script's pipeline: transcript -> OpenCC s2twp -> Chinese numerals to digits.
 * 零九零零零七三三三一 -> { zhTw: '零九零零零七三三三一', itn: '0900073331' }.
 */
export function normalizeTranscript(extraction: Pick<TranscriptExtraction, 'transcript'>): NormalizedTranscript {
  const zhTw = toTraditionalTw(extraction.transcript);
  return { zhTw, itn: inverseTextNormalize(zhTw) };
}
