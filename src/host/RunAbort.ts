import type { RunFailure } from '../results/RunResults.js';

/** Ends a run early; carries what went wrong, where. The measurements so far are kept. */
export class RunAbort extends Error {
  override readonly name = 'RunAbort';
  constructor(readonly failure: RunFailure) {
    super(failure.message);
  }
}
