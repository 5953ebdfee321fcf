/**
 * Text from outside leakgate (file names, engine output and transcripts, truth files, baselines and
 * results files) printed as text: it can neither start a line of its own, nor steer the terminal, nor
 * be taken by GitHub Actions for a workflow command (the runner executes stdout lines that start, after
 * blanks, with `::`, e.g. `::add-mask::` or `::error::`).
 */

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/**
 * What the runner strips from the head of a line before it looks for `::`: its TrimStart takes every
 * character .NET's Char.IsWhiteSpace counts, U+0085 among them (JavaScript's `\s` misses it), and not
 * U+180E or U+FEFF.
 */
const RUNNER_BLANKS = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** One character the runner takes for a blank at the head of a line. */
export const RUNNER_BLANK = new RegExp(`[${RUNNER_BLANKS}]`);
const LEADING_COMMAND = new RegExp(`^([${RUNNER_BLANKS}]*)::`);

/** One control character as its escape: "\n", "\x1b", "\u2028". */
export function escapeControlCharacter(character: string): string {
  const code = character.charCodeAt(0);
  return NAMED[character] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * `text` safe to print on one line: control characters shown as escapes (`\n`, `\x1b`), a leading `::`
 * (after blanks) shown as `\::`, and the old `##[command]` form broken up as `#\#[`.
 */
export function untrustedText(text: string): string {
  return text.replace(CONTROL, escapeControlCharacter).replace(LEADING_COMMAND, '$1\\::').replace(/##\[/g, '#\\#[');
}
