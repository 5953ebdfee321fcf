import { median } from './median.js';
import { MAD_TO_SIGMA, medianAbsoluteDeviation } from './medianAbsoluteDeviation.js';
import { isSamples } from './Samples.js';

/** Deviations beyond this many MAD-sigmas are clipped before the standard deviation is taken. */
const CLIP_SIGMAS = 3;

/**
 * A standard deviation that neither a lone spike nor a short list fools much: the larger of
 * 1.4826·MAD and the standard deviation about the median with deviations clipped at 3 MAD-sigmas.
 * The MAD alone ignores a spike but, over ten or so values, often comes out far too small; the clipped
 * standard deviation is steadier and still bounded against a spike. Noise floors built on an
 * underestimate would let noise pass for a leak, so the larger is taken. 0 for an empty list.
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
