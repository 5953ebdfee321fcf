import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../analysis/fixtures/mulberry32.js';
import { ratioInterval, shiftInterval } from '../../../src/compare/shiftInterval.js';

describe('shiftInterval (Hodges–Lehmann with the Mann–Whitney interval)', () => {
  it('x = 1,2,3 vs y = 4,5,6: differences 1,2,2,3,3,3,4,4,5; median 3; k = ⌊4.5 − 1.96·√5.25⌋ = 0 → [1, 5]', () => {
    expect(shiftInterval([1, 2, 3], [4, 5, 6])).toEqual({ estimate: 3, low: 1, high: 5 });
  });

  it('x = 1..10, y = x + 10: 100 differences, 10 − |i − j| style; k = ⌊50 − 1.96·√175⌋ = 24', () => {
    const x = Array.from({ length: 10 }, (_, i) => i + 1);
    const y = x.map((v) => v + 10);
    // Differences are 10 + (j − i), j, i in 1..10: values 1..19 with counts 1,2,...,10,...,2,1.
    // Sorted, index 24 (0-based): cumulative counts 1,3,6,10,15,21,28 → value 7; index 75 → 13 by symmetry.
    expect(shiftInterval(x, y)).toEqual({ estimate: 10, low: 7, high: 13 });
  });

  it('is unmoved by one wild value (robust), unlike a difference of means', () => {
    const base = [100, 101, 99, 100, 102, 98, 100, 101];
    const head = [110, 111, 109, 110, 112, 108, 110, 5000];
    expect(shiftInterval(base, head)!.estimate).toBe(10);
  });

  it('null with fewer than two values on a side', () => {
    expect(shiftInterval([1], [1, 2])).toBeNull();
    expect(shiftInterval([1, 2], [])).toBeNull();
  });

  it('covers the true shift of two noisy samples about 95 % of the time (a property, seeded)', () => {
    const random = mulberry32(7);
    let covered = 0;
    for (let trial = 0; trial < 400; trial += 1) {
      const base = Array.from({ length: 12 }, () => random() * 10);
      const head = Array.from({ length: 12 }, () => random() * 10 + 3);
      const interval = shiftInterval(base, head)!;
      if (interval.low <= 3 && 3 <= interval.high) covered += 1;
    }
    expect(covered / 400).toBeGreaterThan(0.92);
    expect(covered / 400).toBeLessThan(0.99);
  });
});

describe('ratioInterval', () => {
  it('a head exactly 30 % slower reads 1.30 with a degenerate interval', () => {
    const base = [20, 21, 22, 23, 24];
    const r = ratioInterval(
      base,
      base.map((v) => v * 1.3),
    )!;
    expect(r.estimate).toBeCloseTo(1.3, 12);
    // every pair i=j gives exactly log 1.3; the interval spans the pairs around it
    expect(r.low).toBeLessThanOrEqual(1.3);
    expect(r.high).toBeGreaterThanOrEqual(1.3);
  });

  it('x = e^1,e^2,e^3 vs y = e^4,e^5,e^6: the shift of the logs exponentiated, [e, e^5] around e^3', () => {
    const r = ratioInterval([1, 2, 3].map(Math.exp), [4, 5, 6].map(Math.exp))!;
    expect(r.estimate).toBeCloseTo(Math.exp(3), 9);
    expect(r.low).toBeCloseTo(Math.exp(1), 9);
    expect(r.high).toBeCloseTo(Math.exp(5), 9);
  });

  it('drops non-positive values', () => {
    expect(ratioInterval([0, -1, 2], [2, 2])).toBeNull();
  });
});
