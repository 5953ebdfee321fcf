import type { SignalAssessment } from '../assessSignal.js';
import { formatBytes } from '../../units.js';
import { describeSlope } from './describeSlope.js';

/** What makes a leak: the slope's interval lies above the floor, or the series rose too steadily for noise. */
export const hasLeakEvidence = (a: SignalAssessment): boolean => a.ciAboveFloor || a.steadyRise;

/** The leak evidence in words: which test it passed, with its figures. */
export function describeLeakEvidence(a: SignalAssessment): string {
  const reasons: string[] = [];
  if (a.ciAboveFloor) reasons.push(`the interval lies above the ${formatBytes(a.floorBytesPerSwitch)}/switch noise floor`);
  if (a.steadyRise) {
    reasons.push(
      `it rose at ${a.risingSteps} of ${a.switchesUsed} switches and fell at ${a.fallingSteps} ` +
        `(sign test p = ${a.steadyRiseP.toPrecision(2)})`,
    );
  }
  return `${describeSlope(a)}; ${reasons.join(', and ')}`;
}
