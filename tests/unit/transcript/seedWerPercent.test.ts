import { describe, expect, it } from 'vitest';
import { extractTranscript } from '../../../src/transcript/TranscriptExtractor.js';
import { normalizeTranscript } from '../../../src/transcript/normalizeTranscript.js';
import { seedWerPercent } from '../../../src/transcript/seedWerPercent.js';

const TRUTH = '0900073331';

/** The seed's whole pipeline: chunks -> transcript -> s2twp -> ITN -> "WER". */
const seedFigure = (chunks: string[]): number => seedWerPercent(TRUTH, normalizeTranscript(extractTranscript(chunks)).itn);

describe('seedWerPercent', () => {
  it('is 0 % for the correctly heard phone number', () => {
    expect(seedFigure(['language Chinese<asr_', 'text>零九零零零七三三三一</asr_text>'])).toBe(0);
  });

  it('is 10 % with one digit wrong, missing or extra', () => {
    expect(seedFigure(['language Chinese<asr_text>零九零零零七三三三二'])).toBeCloseTo(10, 10);
    expect(seedFigure(['language Chinese<asr_text>零九零零零七三三三'])).toBeCloseTo(10, 10);
    expect(seedFigure(['language Chinese<asr_text>零九零零零七三三三一一'])).toBeCloseTo(10, 10);
  });

  it('is 100 % for an empty hypothesis and 0 for an empty reference', () => {
    expect(seedWerPercent(TRUTH, '')).toBe(100);
    expect(seedWerPercent('', 'anything')).toBe(0);
  });

  it('counts code points like Python list(str)', () => {
    expect(seedWerPercent('😀😀', '😀')).toBeCloseTo(50, 10);
    expect(seedWerPercent('電話', '电话')).toBe(100); // no normalisation inside
  });
});
