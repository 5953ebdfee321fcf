import { describe, expect, it } from 'vitest';
import { helveticaTextWidth } from '../../../src/report/charts/helveticaTextWidth.js';

describe('helveticaTextWidth', () => {
  it("sums Helvetica's AFM advance widths", () => {
    // H 722 + e 556 + l 222 + l 222 + o 556 = 2278/1000 em
    expect(helveticaTextWidth('Hello', 10)).toBeCloseTo(22.78, 9);
    // "1.0 MiB": 556 + 278 + 556 + 278 + 833 + 222 + 667 = 3390
    expect(helveticaTextWidth('1.0 MiB', 12)).toBeCloseTo(40.68, 9);
  });

  it('counts CJK characters as one em and bold as 7 % wider', () => {
    expect(helveticaTextWidth('零九', 11)).toBeCloseTo(22, 9);
    expect(helveticaTextWidth('Hello', 10, true)).toBeCloseTo(22.78 * 1.07, 9);
  });
});
