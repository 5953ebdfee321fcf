import { describe, expect, it } from 'vitest';
import { TranscriptExtractor, extractTranscript } from '../../../src/transcript/TranscriptExtractor.js';

const PHONE = '零九零零零七三三三一';
const FULL = `language Chinese<asr_text>${PHONE}</asr_text>`;

/** Pushes every chunk and returns the extractor plus what each push reported. */
function stream(chunks: readonly string[]): { extractor: TranscriptExtractor; added: number[] } {
  const extractor = new TranscriptExtractor();
  const added = chunks.map((chunk) => extractor.push(chunk));
  return { extractor, added };
}

describe('TranscriptExtractor: markers', () => {
  it('extracts language and transcript from one chunk', () => {
    expect(extractTranscript([FULL])).toEqual({ language: 'Chinese', transcript: PHONE });
  });

  it('handles every two-chunk split of the whole output', () => {
    for (let at = 0; at <= FULL.length; at++) {
      const chunks = [FULL.slice(0, at), FULL.slice(at)];
      const { extractor, added } = stream(chunks);
      expect(extractor.result(), `split at ${at}`).toEqual({ language: 'Chinese', transcript: PHONE });
      expect(added[0]! + added[1]!, `split at ${at}`).toBe(10);
    }
  });

  it('handles every three-chunk split of the whole output', () => {
    for (let first = 0; first <= FULL.length; first++) {
      for (let second = first; second <= FULL.length; second++) {
        const chunks = [FULL.slice(0, first), FULL.slice(first, second), FULL.slice(second)];
        expect(extractTranscript(chunks), `splits at ${first},${second}`).toEqual({
          language: 'Chinese',
          transcript: PHONE,
        });
      }
    }
  });

  it('streams character by character and reports the first transcript character on its own push', () => {
    const { extractor, added } = stream(Array.from(FULL));
    const firstTranscriptIndex = FULL.indexOf('<asr_text>') + '<asr_text>'.length;
    expect(added.findIndex((count) => count > 0)).toBe(firstTranscriptIndex);
    expect(added.reduce((sum, count) => sum + count, 0)).toBe(10);
    expect(extractor.result()).toEqual({ language: 'Chinese', transcript: PHONE });
  });

  it('counts nothing for a chunk that is only part of the header', () => {
    const extractor = new TranscriptExtractor();
    expect(extractor.push('language Chinese<asr_')).toBe(0);
    expect(extractor.push('text>零九')).toBe(2);
    expect(extractor.push('零</asr_')).toBe(1);
    expect(extractor.push('text>')).toBe(0);
    expect(extractor.result()).toEqual({ language: 'Chinese', transcript: '零九零' });
  });

  it('holds a possible close marker back until the next chunk shows it is text', () => {
    const extractor = new TranscriptExtractor();
    expect(extractor.push('language English<asr_text>a </')).toBe(1);
    expect(extractor.push('b')).toBe(4); // ' ', '<', '/' were held back, then 'b'
    expect(extractor.result()).toEqual({ language: 'English', transcript: 'a </b' });
  });

  it('drops the close marker and whitespace around the transcript', () => {
    expect(extractTranscript(['  language English<asr_text>  Hello world. \n', '</asr_text>\n'])).toEqual({
      language: 'English',
      transcript: 'Hello world.',
    });
  });

  it('treats a missing close marker as the end of the transcript', () => {
    expect(extractTranscript(['language Chinese<asr_text>', PHONE])).toEqual({ language: 'Chinese', transcript: PHONE });
  });

  it('accepts <asr_text> without a language header', () => {
    expect(extractTranscript(['<asr_text>hi</asr_text>'])).toEqual({ language: null, transcript: 'hi' });
  });

  it('reports language None as null', () => {
    expect(extractTranscript(['language None<asr_text></asr_text>'])).toEqual({ language: null, transcript: '' });
  });

  it('appends a following segment with the whitespace between segments', () => {
    expect(extractTranscript(['language English<asr_text>one</asr_text> ', 'language English<asr_text>two</asr_text>'])).toEqual({
      language: 'English',
      transcript: 'one two',
    });
  });

  it('does not count a split surrogate pair twice', () => {
    const extractor = new TranscriptExtractor();
    const emoji = '😀';
    expect(extractor.push(`<asr_text>a${emoji[0]}`)).toBe(1);
    expect(extractor.push(`${emoji[1]}b`)).toBe(2);
    expect(extractor.result().transcript).toBe(`a${emoji}b`);
  });
});

describe('TranscriptExtractor: no markers', () => {
  it('takes plain text as the transcript', () => {
    expect(extractTranscript(['  零九零', '零零七三三三一 '])).toEqual({ language: null, transcript: PHONE });
  });

  it('counts plain text as soon as it cannot be a header', () => {
    const extractor = new TranscriptExtractor();
    expect(extractor.push('lang')).toBe(0);
    expect(extractor.push('uage model')).toBe(0); // "language model" could still be a header
    expect(extractor.push(' is fine')).toBe(22);
    expect(extractor.result()).toEqual({ language: null, transcript: 'language model is fine' });
  });

  it('keeps text that only looked like the start of a header when the stream ends', () => {
    expect(extractTranscript(['language Chinese'])).toEqual({ language: null, transcript: 'language Chinese' });
    expect(extractTranscript(['<asr_'])).toEqual({ language: null, transcript: '<asr_' });
  });

  it('keeps a partial close marker at the end as text', () => {
    expect(extractTranscript(['<asr_text>x</asr_'])).toEqual({ language: null, transcript: 'x</asr_' });
  });

  it('sums push counts to the transcript length for plain text', () => {
    const text = '電話是 零九 12三';
    const { extractor, added } = stream(Array.from(text));
    expect(added.reduce((sum, count) => sum + count, 0)).toBe(Array.from(text).length);
    expect(extractor.result().transcript).toBe(text);
  });
});

describe('TranscriptExtractor: empty transcripts', () => {
  it('gives an empty transcript for no chunks, empty chunks and whitespace', () => {
    expect(extractTranscript([])).toEqual({ language: null, transcript: '' });
    expect(extractTranscript(['', '', ''])).toEqual({ language: null, transcript: '' });
    expect(extractTranscript([' \n\t '])).toEqual({ language: null, transcript: '' });
  });

  it('gives an empty transcript for a header with nothing after it', () => {
    const { extractor, added } = stream(['language Chinese<asr_text>', '  ', '</asr_text>']);
    expect(added).toEqual([0, 0, 0]);
    expect(extractor.result()).toEqual({ language: 'Chinese', transcript: '' });
  });

  it('lets result() be called mid-stream without changing the outcome', () => {
    const extractor = new TranscriptExtractor();
    extractor.push('language Chinese<asr_text>零九</asr');
    expect(extractor.result()).toEqual({ language: 'Chinese', transcript: '零九</asr' });
    extractor.push('_text>');
    expect(extractor.result()).toEqual({ language: 'Chinese', transcript: '零九' });
  });
});
