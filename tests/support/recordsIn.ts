import { existsSync, readFileSync } from 'node:fs';
import { parseResultsJournal } from '../../src/results/readResultsJournal.js';
import { journalPathOf } from '../../src/results/ResultsJournal.js';
import { fromResultsJson } from '../../src/results/resultsFile.js';

/**
 * Switches measured so far by a run writing `resultsPath`: in its journal while it measures, in the
 * results file once it is over; 0 while neither exists or can be read yet.
 */
export function recordsIn(resultsPath: string): number {
  try {
    const journal = journalPathOf(resultsPath);
    if (existsSync(journal)) return parseResultsJournal(readFileSync(journal, 'utf8'), journal).records.length;
    if (!existsSync(resultsPath)) return 0;
    return fromResultsJson(JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>)!.records.length;
  } catch {
    return 0;
  }
}
