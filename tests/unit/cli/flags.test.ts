import { describe, expect, it } from 'vitest';
import { parseAttributeFlags, parseRunFlags } from '../../../src/cli/flags.js';
import { ExitCode, LeakgateError } from '../../../src/errors.js';

function usage(parse: () => unknown): string {
  let thrown: unknown = null;
  try {
    parse();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(LeakgateError);
  expect((thrown as LeakgateError).exitCode).toBe(ExitCode.usage);
  return (thrown as Error).message;
}

describe('run flags: an empty value is a usage error, not a silent choice', () => {
  it.each([
    // `--lib "$LIB"` with LIB unset measured the reference engine and passed the gate
    [['--lib', ''], '--lib is empty'],
    [['--lib='], '--lib is empty'],
    [['--out', ' '], '--out is empty'],
    [['--baseline', ''], '--baseline is empty'],
    [['--truth', ''], '--truth is empty'],
    [['--out', 'a.json', '--out', ''], '--out is empty'],
  ])('%j: %s', (argv, message) => {
    expect(usage(() => parseRunFlags(argv))).toContain(message);
  });

  it('attribute takes the same rule', () => {
    expect(usage(() => parseAttributeFlags(['--lib', '', '--switches', '3']))).toContain('--lib is empty');
  });

  it('--model repeats (the switching order); another flag given twice keeps its last value, as scripts override defaults', () => {
    const flags = parseRunFlags(['--model', 'a.bin', '--model', 'b.bin', '--lib', 'x.so', '--lib', 'y.so', '--out', 'r.json']);
    expect(flags.models).toEqual(['a.bin', 'b.bin']);
    expect(flags.lib).toBe('y.so');
    expect(flags.out).toBe('r.json');
    expect(usage(() => parseRunFlags(['--model', 'a.bin', '--model', '']))).toContain('--model is empty');
  });
});
