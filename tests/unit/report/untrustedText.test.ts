import { describe, expect, it } from 'vitest';
import { commandSafeWriter } from '../../../src/report/commandSafeWriter.js';
import { markdownText, mermaidText } from '../../../src/report/markdownText.js';
import { untrustedText } from '../../../src/untrustedText.js';

describe('untrustedText', () => {
  it('shows control characters as escapes and keeps the rest', () => {
    expect(untrustedText('a\nb\r\tc\u001b[31md\u0000\u007f\u2028é 中')).toBe('a\\nb\\r\\tc\\x1b[31md\\x00\\x7f\\u2028é 中');
  });
  it('neutralises a leading :: (after blanks) and the ##[ form', () => {
    expect(untrustedText('::error::x')).toBe('\\::error::x');
    expect(untrustedText('  ::add-mask::y')).toBe('  \\::add-mask::y');
    expect(untrustedText('a ::b')).toBe('a ::b');
    expect(untrustedText('x ##[error]y')).toBe('x #\\#[error]y');
  });
});

describe('commandSafeWriter', () => {
  const collect = (): { write: (text: string) => void; text: () => string } => {
    let all = '';
    return { write: commandSafeWriter((text) => (all += text)), text: () => all };
  };
  it('puts a backslash before a line whose first non-blank is ":", also when the line is split over writes', () => {
    const sink = collect();
    sink.write('ok\n::error::a\n  ');
    sink.write('::warning::b\r::x\nplain: fine\n');
    expect(sink.text()).toBe('ok\n\\::error::a\n  \\::warning::b\r\\::x\nplain: fine\n');
  });
  it('escapes control characters but keeps line breaks and tabs', () => {
    const sink = collect();
    sink.write('a\tb\u001b[2Jc\n');
    expect(sink.text()).toBe('a\tb\\x1b[2Jc\n');
  });
});

describe('markdownText and mermaidText', () => {
  it('a name cannot end a table cell, open a code span or carry HTML', () => {
    expect(markdownText('a|b`c<img src=x>\nd')).toBe('a\\|b\\`c&lt;img src=x&gt;\\\\nd');
  });
  it('a Mermaid label cannot end its quotes or the fence', () => {
    expect(mermaidText('a"b```c\nd')).toBe("a'b'''c\\nd");
  });
});
