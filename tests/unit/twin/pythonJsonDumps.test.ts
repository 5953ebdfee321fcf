import { describe, expect, it } from 'vitest';
import { PyFloat, pythonJsonDumps } from '../../../src/twin/pythonJsonDumps.js';

describe('pythonJsonDumps', () => {
  it("matches Python's json.dumps(..., ensure_ascii=False) byte for byte", () => {
    const value = {
      a: 1,
      b: [1, 1e-6, 0.02, 1_000_000, 1.5e-7, 1e16, -0, 123.456].map((x) => new PyFloat(x)),
      c: null,
      d: '中"\n',
      e: {},
      f: [],
      g: true,
    };
    // printed by CPython 3 for the same dict
    const python =
      '{"a": 1, "b": [1.0, 1e-06, 0.02, 1000000.0, 1.5e-07, 1e+16, -0.0, 123.456], "c": null, "d": "中\\"\\n", "e": {}, "f": [], "g": true}';
    expect(pythonJsonDumps(value)).toBe(python);
  });

  it('prints plain integers without a decimal point', () => {
    expect(pythonJsonDumps([151936, -1])).toBe('[151936, -1]');
  });
});
