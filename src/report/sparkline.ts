const BARS = '▁▂▃▄▅▆▇█';

/** A one-line chart of a series (min to max mapped onto eight bar heights); flat series draw as ▁. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const span = Math.max(...values) - min;
  return values.map((v) => BARS[span === 0 ? 0 : Math.min(7, Math.floor(((v - min) / span) * 8))]).join('');
}
