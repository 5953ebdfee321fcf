import { existsSync, readFileSync } from 'node:fs';
import { parseResultsJournal } from '../../src/results/readResultsJournal.js';
import { journalPathOf } from '../../src/results/ResultsJournal.js';
import { fromResultsJson } from '../../src/results/resultsFile.js';
import type { RunResults } from '../../src/results/RunResults.js';

/** A results file as the CLI wrote it (throws while it is missing or half-written). */
export function readResults(path: string): RunResults {
  return fromResultsJson(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)!;
}

/**
 * Switches measured so far by a run writing `resultsPath`: in its journal while it measures, in the
 * results file once it is over; 0 while neither exists or can be read yet.
 */
export function recordsIn(resultsPath: string): number {
  try {
    const journal = journalPathOf(resultsPath);
    if (existsSync(journal)) return parseResultsJournal(readFileSync(journal, 'utf8'), journal).records.length;
    return existsSync(resultsPath) ? readResults(resultsPath).records.length : 0;
  } catch {
    return 0;
  }
}
