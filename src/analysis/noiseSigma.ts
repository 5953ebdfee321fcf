import { isSamples, MAD_TO_SIGMA, median, medianAbsoluteDeviation } from './statistics.js';

/**
 * Noise estimators for series sampled once per switch, all in bytes: each measures scatter around
 * a trend (a steady trend shifts every change alike and does not count).
 */

/** Deviations beyond this many MAD-sigmas are clipped before the standard deviation is taken. */
const CLIP_SIGMAS = 3;

/** The successive changes y[i+1] − y[i]. */
export function steps(valuesBytes: readonly number[]): number[] {
  return valuesBytes.slice(1).map((y, i) => y - (valuesBytes[i] as number));
}

/**
 * A standard deviation that neither a lone spike nor a short list fools much: the larger of
 * 1.4826·MAD and the standard deviation about the median with deviations clipped at 3 MAD-sigmas.
 * The MAD alone ignores a spike but, over ten or so values, often comes out far too small; the clipped
 * standard deviation is steadier and still bounded against a spike. 0 for an empty list.
 */
export function robustSpread(values: readonly number[]): number {
  if (!isSamples(values)) return 0;
  const madSigma = MAD_TO_SIGMA * medianAbsoluteDeviation(values);
  if (values.length < 2) return madSigma;
  const centre = median(values);
  const clip = CLIP_SIGMAS * madSigma;
  const sumSquares = values.reduce((acc, v) => acc + Math.min((v - centre) ** 2, clip * clip), 0);
  return Math.max(madSigma, Math.sqrt(sumSquares / (values.length - 1)));
}

/**
 * The noise of a series from its successive differences: 1.4826 · MAD(y[i+1] − y[i]) / √2.
 * A linear trend shifts every difference alike and a lone step is one outlying difference, so neither
 * inflates it; it needs no fitted line. 0 for fewer than two samples.
 */
export function differenceSigma(valuesBytes: readonly number[]): number {
  const differences = steps(valuesBytes);
  return isSamples(differences) ? (MAD_TO_SIGMA * medianAbsoluteDeviation(differences)) / Math.SQRT2 : 0;
}

/**
 * The spread of the switch-to-switch changes of a series (robustSpread, so a trend, which shifts every
 * change alike, does not count, and a lone spike counts little): the random-walk noise of carried-over
 * allocator state. 0 for fewer than two samples.
 */
export function stepSigma(valuesBytes: readonly number[]): number {
  return robustSpread(steps(valuesBytes));
}

/**
 * The noise of a window of consecutive samples around its fitted line, as a standard deviation in bytes:
 * the larger of 1.4826 · MAD(residuals from the line) and differenceSigma(window). Each is a MAD of a
 * short list, which often comes out small by chance; taking the larger keeps a few well-aligned samples
 * from making the noise look smaller than it is.
 */
export function robustNoiseSigma(windowBytes: readonly number[], residualsBytes: readonly number[]): number {
  const residualSigma = isSamples(residualsBytes) ? MAD_TO_SIGMA * medianAbsoluteDeviation(residualsBytes) : 0;
  return Math.max(residualSigma, differenceSigma(windowBytes));
}

/**
 * The step noise a trend cannot produce, read from the falls alone: √(2 · Σ min(Δ, 0)² / count(Δ)).
 * Under symmetric noise with no trend, falls measure it as well as rises do (E[min(Δ, 0)²] = σ²/2, so
 * this is σ); a rising trend only makes falls fewer and smaller, so unlike stepSigma this can never grow
 * with the climb it judges. 0 for fewer than two samples or a series that never fell.
 */
export function fallSigma(valuesBytes: readonly number[]): number {
  const changes = steps(valuesBytes);
  if (changes.length === 0) return 0;
  const sumSquares = changes.reduce((acc, d) => acc + Math.min(d, 0) ** 2, 0);
  return Math.sqrt((2 * sumSquares) / changes.length);
}
