import { median } from './median.js';
import type { Samples } from './Samples.js';

/** Makes the MAD estimate the standard deviation for normally distributed data (1 / Φ⁻¹(0.75)). */
export const MAD_TO_SIGMA = 1.482602218505602;

/** The raw median absolute deviation from the median (unscaled; multiply by MAD_TO_SIGMA for a sigma). */
export function medianAbsoluteDeviation(values: Samples): number {
  const centre = median(values);
  const [first, ...rest] = values;
  return median([Math.abs(first - centre), ...rest.map((v) => Math.abs(v - centre))]);
}
