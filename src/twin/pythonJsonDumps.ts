/** Marks a number that Python's json module would print as a float (`1000000.0`, `1e-06`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(x, -0)) return '-0.0';
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e16)) {
    // Python repr: at least two exponent digits, explicit sign
    const [mantissa, exponent = '0'] = x.toExponential().split('e');
    const sign = exponent.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[-+]/, '').padStart(2, '0')}`;
  }
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/**
 * JSON text as Python's `json.dumps(value, ensure_ascii=False)` writes it (", " and ": " separators),
 * so the meta block of a written model looks like convert.py's. Wrap floats in PyFloat.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return floatRepr(value.value);
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isInteger(value) ? String(value) : floatRepr(value);
    case 'string':
      return JSON.stringify(value);
    case 'object':
      if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
      return `{${Object.entries(value)
        .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJsonDumps(v)}`)
        .join(', ')}}`;
    default:
      throw new Error(`cannot serialise a ${typeof value} as JSON`);
  }
}
