import { existsSync, readFileSync } from 'node:fs';
import { fromResultsJson } from '../../src/results/resultsFile.js';
import type { RunResults } from '../../src/results/RunResults.js';

/** A results file as the CLI wrote it (throws while it is missing or half-written). */
export function readResults(path: string): RunResults {
  return fromResultsJson(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)!;
}

/** Records in the results file, or 0 while it is missing or being replaced. */
export function recordsIn(path: string): number {
  try {
    return existsSync(path) ? readResults(path).records.length : 0;
  } catch {
    return 0;
  }
}
