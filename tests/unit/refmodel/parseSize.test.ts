import { describe, expect, it } from 'vitest';
import { LeakgateError } from '../../../src/errors.js';
import { formatSizeBytes, GIB } from '../../../src/units.js';
import { parseSizeBytes } from '../../../src/refmodel/parseSize.js';

describe('parseSizeBytes', () => {
  it.each([
    ['4096', 4096],
    ['0', 0],
    ['4096B', 4096],
    ['512KiB', 524_288],
    ['16MiB', 16_777_216],
    ['1GiB', 1_073_741_824],
    ['1.5MiB', 1_572_864],
    ['0.25KiB', 256],
    ['2.5GiB', 2_684_354_560],
    [' 16 MiB ', 16_777_216],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseSizeBytes(text)).toBe(bytes);
  });

  it.each([
    ['16MB', /--heap "16MB": unit MB is ambiguous or misspelt; use the binary units KiB, MiB or GiB/],
    ['16M', /unit M is ambiguous/],
    ['1G', /unit G is ambiguous/],
    ['16mib', /unit mib is ambiguous or misspelt/],
    ['3TiB', /unknown unit TiB; use KiB, MiB or GiB/],
    ['1.1MiB', /--heap "1\.1MiB" is not a whole number of bytes/],
    ['1.5', /is not a whole number of bytes/],
    ['-1MiB', /--heap "-1MiB" is not a size/],
    ['1e6', /is not a size/],
    ['', /is not a size/],
    ['99999999GiB', /is too large/],
  ])('rejects %j with a usage error naming the flag', (text, message) => {
    let error: unknown;
    try {
      parseSizeBytes(text, '--heap');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LeakgateError);
    expect((error as LeakgateError).message).toMatch(message);
    expect((error as LeakgateError).message.startsWith('--heap ')).toBe(true);
    expect((error as LeakgateError).exitCode).toBe(2);
  });

  it('names --size when no flag is given', () => {
    expect(() => parseSizeBytes('big')).toThrow(/^--size "big" is not a size/);
  });
});

describe('formatSizeBytes (its outputs: tests/unit/units.test.ts)', () => {
  it('prints exact sizes that parseSizeBytes reads back', () => {
    for (const bytes of [512, 4096, 1_572_864, 3 * GIB]) expect(parseSizeBytes(formatSizeBytes(bytes))).toBe(bytes);
  });
});
