import { describe, expect, it } from 'vitest';
import { float16Bits, float16Value } from '../../../src/twin/float16.js';

// Reference bit patterns from Python: struct.pack('<e', x)
const references: Array<[number, number]> = [
  [1, 0x3c00],
  [0.5, 0x3800],
  [-2, 0xc000],
  [65504, 0x7bff],
  [0.1, 0x2e66],
  [0.005, 0x1d1f],
  [3e-5, 0x01f7], // subnormal
  [1e-7, 0x0002], // subnormal, rounds up
  [0, 0x0000],
];

describe('float16Bits', () => {
  it.each(references)('encodes %d as Python does', (value, bits) => {
    expect(float16Bits(value)).toBe(bits);
  });

  it('overflows to infinity and keeps NaN a NaN', () => {
    expect(float16Bits(1e6)).toBe(0x7c00);
    expect(float16Bits(-1e6)).toBe(0xfc00);
    expect(float16Value(float16Bits(Number.NaN))).toBeNaN();
  });
});

describe('float16Value', () => {
  // exact values from Python: struct.unpack('<e', ...)
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x7bff, 65504],
    [0x2e66, 0.0999755859375],
    [0x1d1f, 0.005001068115234375],
    [0x01f7, 2.9981136322021484e-5],
    [0x0002, 1.1920928955078125e-7],
    [0x0000, 0],
  ])('decodes 0x%s exactly', (bits, value) => {
    expect(float16Value(bits)).toBe(value);
  });
});
