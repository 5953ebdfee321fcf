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
  it('counts as blanks before a leading :: what the runner trims (.NET whitespace), not only spaces and tabs', () => {
    expect(untrustedText('\u00a0::error::x')).toBe('\u00a0\\::error::x');
    expect(untrustedText('\u3000\u2003\u205f::error::x')).toBe('\u3000\u2003\u205f\\::error::x');
    // Not whitespace to .NET: the runner keeps them, so the line does not start with ::.
    expect(untrustedText('\u180e::x')).toBe('\u180e::x');
    expect(untrustedText('\ufeff::x')).toBe('\ufeff::x');
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
  it('counts as blanks at the head of a line what the runner trims: no-break, ideographic, em spaces', () => {
    const sink = collect();
    sink.write('a\n\u00a0::error::x\n\u3000 \u2003');
    sink.write('\u202f::add-mask::y\n\u2028::z\n');
    expect(sink.text()).toBe('a\n\u00a0\\::error::x\n\u3000 \u2003\u202f\\::add-mask::y\n\u2028\\::z\n');
  });
  it('a U+0085 at the head of a line is escaped, so what follows it is no longer at the head', () => {
    const sink = collect();
    sink.write('\u0085::error::x\n');
    expect(sink.text()).toBe('\\x85::error::x\n');
  });
  it('shows the old ##[ command form as an escape anywhere in a line, also when it is split over writes', () => {
    const sink = collect();
    sink.write('foo ##[error]x\n###[warning]y\nsplit #');
    sink.write('#');
    sink.write('[error]z\n# #[ok] and ##\n[ok]\n');
    expect(sink.text()).toBe('foo ##\\u005berror]x\n###\\u005bwarning]y\nsplit ##\\u005berror]z\n# #[ok] and ##\n[ok]\n');
  });
  it('keeps --json output JSON: a ##[ inside a string still reads back as itself', () => {
    const sink = collect();
    const value = { label: 'a ##[error]b', note: '::x' };
    sink.write(`${JSON.stringify(value, null, 2)}\n`);
    expect(sink.text()).not.toContain('##[');
    expect(JSON.parse(sink.text())).toEqual(value);
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
