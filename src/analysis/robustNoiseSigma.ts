import { differenceSigma } from './differenceSigma.js';
import { MAD_TO_SIGMA, medianAbsoluteDeviation } from './medianAbsoluteDeviation.js';
import { isSamples } from './Samples.js';

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
