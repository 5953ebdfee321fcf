const BARS = '▁▂▃▄▅▆▇█';
/** Widest sparkline drawn: a longer series is shown as the mean of equal slices, one bar each. */
const SPARKLINE_MAX_BARS = 120;

/**
 * A one-line chart of a series (min to max mapped onto eight bar heights); flat series draw as ▁.
 * Series longer than SPARKLINE_MAX_BARS are averaged over equal slices, so a 40,000-switch run still
 * prints one readable line.
 */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const points = values.length <= SPARKLINE_MAX_BARS ? values : sliceMeans(values, SPARKLINE_MAX_BARS);
  let min = Infinity;
  let max = -Infinity;
  for (const v of points) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const span = max - min;
  return points.map((v) => BARS[span === 0 ? 0 : Math.min(7, Math.floor(((v - min) / span) * 8))]).join('');
}

function sliceMeans(values: readonly number[], slices: number): number[] {
  const means: number[] = [];
  for (let s = 0; s < slices; s++) {
    const start = Math.floor((s * values.length) / slices);
    const end = Math.floor(((s + 1) * values.length) / slices);
    let sum = 0;
    for (let i = start; i < end; i++) sum += values[i] as number;
    means.push(sum / (end - start));
  }
  return means;
}
