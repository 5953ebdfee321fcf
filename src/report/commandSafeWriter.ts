import { escapeControlCharacter, RUNNER_BLANK } from '../untrustedText.js';

/** Control characters leakgate never prints itself (line breaks and tabs are its own). */
const FOREIGN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const OPEN_BRACKET_ESCAPE = '\\u005b';

/**
 * Wraps a stream's write so that whatever reaches it, no output line can be a GitHub Actions workflow
 * command and no escape sequence reaches the terminal: a line whose first non-blank character is `:` gets
 * a `\` before it (blank as the runner trims it, RUNNER_BLANK: a no-break or ideographic space too;
 * leakgate prints no line that starts so, a file or model name with a newline could), the runner's old
 * command form `##[`, taken anywhere in a line, is shown as `##\u005b`, and control characters other than
 * line breaks and tabs are shown as escapes (`\x1b`). The last line of defence behind untrustedText: it
 * keeps its state across writes, so a line or a `##[` split over two writes is caught too.
 */
export function commandSafeWriter(write: (text: string) => void): (text: string) => void {
  let atLineHead = true;
  /** `#` characters written last, back to back. */
  let hashes = 0;
  return (text) => {
    let safe = '';
    for (const character of text.replace(FOREIGN_CONTROL, escapeControlCharacter)) {
      if (character === '\n' || character === '\r') {
        atLineHead = true;
      } else if (atLineHead && !RUNNER_BLANK.test(character)) {
        atLineHead = false;
        if (character === ':') safe += '\\';
      }
      // As an escape, not `##\[`: inside a JSON string (--json) `\u005b` still reads back as `[`.
      safe += character === '[' && hashes >= 2 ? OPEN_BRACKET_ESCAPE : character;
      hashes = character === '#' ? hashes + 1 : 0;
    }
    write(safe);
  };
}
