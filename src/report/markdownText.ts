import { untrustedText } from '../untrustedText.js';

/**
 * Untrusted text (a model label, a path, a failure message) for the GitHub job summary's Markdown: on
 * one line (untrustedText), with `|` (a table cell's end), backticks (code spans and fences), `<` and
 * `>` (raw HTML) and Markdown's emphasis and link characters escaped.
 */
export function markdownText(text: string): string {
  return untrustedText(text).replace(/[\\`*_[\]|<>]/g, (character) =>
    character === '<' ? '&lt;' : character === '>' ? '&gt;' : `\\${character}`,
  );
}

/**
 * Untrusted text inside a Mermaid block's double-quoted label: on one line, without the quote that would
 * end the label or the backticks that would end the ``` fence around the block.
 */
export function mermaidText(text: string): string {
  return untrustedText(text)
    .replace(/["`]/g, "'")
    .replace(/[<>]/g, (character) => (character === '<' ? '&lt;' : '&gt;'));
}
