import { readFile, stat } from 'node:fs/promises';
import { usageError } from '../errors.js';
import { journalPathOf, type JournalLine, type RunHeader } from './ResultsJournal.js';
import { toResultsJson } from './resultsFile.js';
import type { ModelIteration, RunResults } from './RunResults.js';
import { validateResultsJson } from './validateResultsJson.js';

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The run a journal holds. Without its `end` line the run's process died mid-run: the header's status,
 * `running`, stands (the gate refuses it as unfinished) and every complete record is kept. A last line
 * cut short (the process killed mid-write) is dropped; any other bad line is a usage error naming it.
 */
export function parseResultsJournal(text: string, path: string): RunResults {
  const bad = (line: number, problem: string) =>
    usageError(`${path}: line ${line} ${problem} (not a leakgate results journal; rerun leakgate run to measure again)`);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const parsed: JournalLine[] = [];
  for (const [index, line] of lines.entries()) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (index === lines.length - 1 && index > 0) break; // torn by a kill mid-write
      throw bad(index + 1, 'is not JSON');
    }
    const kind = isRecord(json) ? Object.keys(json) : [];
    if (kind.length !== 1 || !['header', 'record', 'end'].includes(kind[0]!) || !isRecord((json as Record<string, unknown>)[kind[0]!])) {
      throw bad(index + 1, 'is not one of {"header": …}, {"record": …}, {"end": …}');
    }
    parsed.push(json as JournalLine);
  }
  const [first, ...rest] = parsed;
  if (!first || !('header' in first)) throw bad(1, "is not the run's header");
  let header: RunHeader = first.header;
  const records: ModelIteration[] = [];
  for (const [index, line] of rest.entries()) {
    if ('record' in line) records.push(line.record);
    else if ('end' in line && index === rest.length - 1) header = line.end;
    else throw bad(index + 2, 'is a header or end in the middle of the journal');
  }
  const results: RunResults = { ...header, records };
  // Every field checked as in a results file, before anything reads it.
  validateResultsJson(toResultsJson(results), path);
  return results;
}

/**
 * The run in the journal beside `resultsPath`, when there is one and it is not older than the results
 * file (a results file written after it is the same run folded, or a later run's); null otherwise.
 */
export async function readResultsJournal(resultsPath: string): Promise<RunResults | null> {
  const path = journalPathOf(resultsPath);
  const journal = await stat(path).catch(() => null);
  if (!journal?.isFile()) return null;
  const results = await stat(resultsPath).catch(() => null);
  if (results && results.mtimeMs > journal.mtimeMs) return null;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseResultsJournal(text, path);
}
