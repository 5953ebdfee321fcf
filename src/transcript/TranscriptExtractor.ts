/** What the engine said: the detected language (if it named one) and the transcript text. */
export interface TranscriptExtraction {
  /** Language name from the `language X<asr_text>` header (e.g. `Chinese`); null with no header or `None`. */
  language: string | null;
  /** Transcript without markers, trimmed; whitespace inside is kept. */
  transcript: string;
}

const OPEN_MARKER = '<asr_text>';
const CLOSE_MARKER = '</asr_text>';
const LANGUAGE_KEYWORD = 'language ';
// Qwen3-ASR names one language per header as a single word (Chinese, English, Cantonese, None).
const HEADER = /^(?:language[ \t]+([A-Za-z][A-Za-z_-]{0,39})[ \t]*)?<asr_text>/;
const HEADER_START = /^language[ \t]+(?:[A-Za-z][A-Za-z_-]{0,39}[ \t]*)?/;
const WHITESPACE = /^\s$/u;
const LEADING_WHITESPACE = /^\s+/u;

interface Committed {
  transcript: string;
  /** Whitespace seen after the last committed character: kept only if more text follows. */
  pendingWhitespace: string;
}

/**
 * Streams Qwen3-ASR output (as printed by chatllm.cpp) into a clean transcript.
 *
 * The engine prints `language Chinese<asr_text>TEXT</asr_text>` as ordinary text chunks, and any
 * marker can be split across chunks, so text that could still be part of a marker is held back
 * until the next chunk decides it. Output with no markers at all is taken as the transcript.
 * Text after `</asr_text>` may start a new segment (with or without its own header); segments are
 * appended with the whitespace that separated them.
 */
export class TranscriptExtractor {
  private mode: 'header' | 'body' = 'header';
  /** Undecided text: a possible header (header mode) or a possible partial close marker (body mode). */
  private undecided = '';
  /** Whitespace skipped before a possible header, restored if it turns out to be plain text. */
  private gapWhitespace = '';
  private language: string | null = null;
  private sawHeader = false;
  private readonly committed: Committed = { transcript: '', pendingWhitespace: '' };

  /**
   * Feeds the next text chunk. Returns how many transcript characters (Unicode code points) this
   * chunk committed, so the caller can timestamp the first transcript character (TTFT).
   * Leading whitespace never counts; inner whitespace counts when the text after it arrives.
   */
  push(chunk: string): number {
    this.undecided += chunk;
    let addedChars = 0;
    for (;;) {
      if (this.mode === 'header') {
        const leading = LEADING_WHITESPACE.exec(this.undecided)?.[0] ?? '';
        if (leading !== '') {
          this.gapWhitespace += leading;
          this.undecided = this.undecided.slice(leading.length);
        }
        if (this.undecided === '') return addedChars;
        const header = HEADER.exec(this.undecided);
        if (header !== null) {
          if (!this.sawHeader) this.language = languageFromHeader(header[1]);
          this.sawHeader = true;
          this.undecided = this.undecided.slice(header[0].length);
          // Whitespace between two segments separates them; before the first it is dropped anyway.
          this.committed.pendingWhitespace += this.gapWhitespace;
          this.gapWhitespace = '';
          this.mode = 'body';
          continue;
        }
        if (couldBecomeHeader(this.undecided)) return addedChars;
        this.undecided = this.gapWhitespace + this.undecided;
        this.gapWhitespace = '';
        this.mode = 'body';
        continue;
      }
      const closeAt = this.undecided.indexOf(CLOSE_MARKER);
      if (closeAt >= 0) {
        addedChars += commit(this.committed, this.undecided.slice(0, closeAt));
        this.undecided = this.undecided.slice(closeAt + CLOSE_MARKER.length);
        this.mode = 'header';
        continue;
      }
      const heldChars = heldBackLength(this.undecided);
      addedChars += commit(this.committed, this.undecided.slice(0, this.undecided.length - heldChars));
      this.undecided = this.undecided.slice(this.undecided.length - heldChars);
      return addedChars;
    }
  }

  /**
   * The transcript so far, as if the stream ended now: held-back text that never became a
   * marker is included. Does not change the extractor's state.
   */
  result(): TranscriptExtraction {
    const final: Committed = { ...this.committed };
    const rest = this.mode === 'header' ? this.gapWhitespace + this.undecided : this.undecided;
    commit(final, rest);
    return { language: this.language, transcript: final.transcript };
  }
}

/** Extracts language and transcript from all chunks of one finished generation. */
export function extractTranscript(chunks: readonly string[]): TranscriptExtraction {
  const extractor = new TranscriptExtractor();
  for (const chunk of chunks) extractor.push(chunk);
  return extractor.result();
}

function languageFromHeader(name: string | undefined): string | null {
  if (name === undefined || name === '' || name === 'None') return null;
  return name;
}

function couldBecomeHeader(text: string): boolean {
  if (LANGUAGE_KEYWORD.startsWith(text) || OPEN_MARKER.startsWith(text)) return true;
  const start = HEADER_START.exec(text);
  if (start === null) return false;
  return OPEN_MARKER.startsWith(text.slice(start[0].length));
}

/** Length of the longest suffix that could be the start of `</asr_text>`, or of a split surrogate pair. */
function heldBackLength(text: string): number {
  for (let length = Math.min(CLOSE_MARKER.length - 1, text.length); length > 0; length--) {
    if (CLOSE_MARKER.startsWith(text.slice(text.length - length))) return length;
  }
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? 1 : 0;
}

/** Appends text to the transcript, trimming at the start and deferring trailing whitespace. */
function commit(into: Committed, text: string): number {
  let addedChars = 0;
  for (const char of text) {
    if (WHITESPACE.test(char)) {
      into.pendingWhitespace += char;
      continue;
    }
    if (into.transcript !== '') {
      into.transcript += into.pendingWhitespace;
      addedChars += [...into.pendingWhitespace].length;
    }
    into.pendingWhitespace = '';
    into.transcript += char;
    addedChars += 1;
  }
  return addedChars;
}
