import { escapeControlCharacter } from '../untrustedText.js';

/** Control characters leakgate never prints itself (line breaks and tabs are its own). */
const FOREIGN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Wraps a stream's write so that whatever reaches it, no output line can be a GitHub Actions workflow
 * command and no escape sequence reaches the terminal: a line whose first non-blank character is `:` gets
 * a `\` before it (leakgate prints no line that starts so; a file or model name with a newline could),
 * and control characters other than line breaks and tabs are shown as escapes (`\x1b`). The last line of
 * defence behind untrustedText: it keeps its state across writes, so a line split over two writes is
 * caught too.
 */
export function commandSafeWriter(write: (text: string) => void): (text: string) => void {
  let atLineHead = true;
  return (text) => {
    let safe = '';
    for (const character of text.replace(FOREIGN_CONTROL, escapeControlCharacter)) {
      if (character === '\n' || character === '\r') {
        atLineHead = true;
      } else if (atLineHead && character !== ' ' && character !== '\t') {
        atLineHead = false;
        if (character === ':') safe += '\\';
      }
      safe += character;
    }
    write(safe);
  };
}
