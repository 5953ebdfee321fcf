import { robustSpread } from './robustSpread.js';

/**
 * The spread of the switch-to-switch changes y[i+1] − y[i] of a series, in bytes (robustSpread, so a
 * trend, which shifts every change alike, does not count, and a lone spike counts little).
 * 0 for fewer than two samples.
 */
export function stepSigma(valuesBytes: readonly number[]): number {
  return robustSpread(valuesBytes.slice(1).map((y, i) => y - (valuesBytes[i] as number)));
}
