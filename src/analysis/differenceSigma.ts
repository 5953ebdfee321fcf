import { MAD_TO_SIGMA, medianAbsoluteDeviation } from './medianAbsoluteDeviation.js';
import { isSamples } from './Samples.js';

/**
 * The noise of a series from its successive differences: 1.4826 · MAD(y[i+1] − y[i]) / √2.
 * A linear trend shifts every difference alike and a lone step is one outlying difference, so neither
 * inflates it; it needs no fitted line. 0 for fewer than two samples.
 */
export function differenceSigma(valuesBytes: readonly number[]): number {
  const differences = valuesBytes.slice(1).map((y, i) => y - (valuesBytes[i] as number));
  return isSamples(differences) ? (MAD_TO_SIGMA * medianAbsoluteDeviation(differences)) / Math.SQRT2 : 0;
}
