import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesIn, formatDecimalBytes, formatSizeBytes, GIB, KIB, MIB } from '../../src/units.js';

describe('byte units', () => {
  it.each([
    [0, '0 B'],
    [512.4, '512 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [262144, '256.0 KiB'],
    [-1536, '-1.5 KiB'],
    [1.5 * MIB, '1.5 MiB'],
    [3 * GIB, '3.0 GiB'],
    [2 * 1024 * GIB, '2.0 TiB'],
    [Number.NaN, 'NaN'],
  ])('formatBytes(%d) is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('formatBytes takes its precision as a parameter', () => {
    expect(formatBytes(1.5 * MIB, 3)).toBe('1.500 MiB');
  });

  it('formatBytesIn keeps one unit whatever the size', () => {
    expect(formatBytesIn(256 * KIB, 'MiB')).toBe('0.3 MiB');
    expect(formatBytesIn(3 * MIB, 'KiB')).toBe('3072.0 KiB');
    expect(formatBytesIn(1.234 * MIB, 'MiB', 2)).toBe('1.23 MiB');
  });

  it.each([
    [0, '0B'],
    [1000, '1000B'],
    [1024, '1KiB'],
    [1_572_864, '1.5MiB'],
    [33_554_432, '32MiB'],
    [1_073_741_824, '1GiB'],
    [1_000_000, '976.56KiB'],
    [4 * GIB, '4GiB'],
    [1024 * GIB, '1024GiB'],
  ])('formatSizeBytes(%d) is %s', (bytes, text) => {
    expect(formatSizeBytes(bytes)).toBe(text);
  });

  it.each([
    [64, '64 bytes'],
    [1234, '1.2 kB'],
    [1234567, '1.2 MB'],
    [1234567890, '1.23 GB'],
  ])('formatDecimalBytes(%d) is %s', (bytes, text) => {
    expect(formatDecimalBytes(bytes)).toBe(text);
  });
});
