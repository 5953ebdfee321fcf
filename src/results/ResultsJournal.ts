import { rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeFolder } from '../files/makeFolder.js';
import { fileSystemError } from '../files/fileSystemError.js';
import { openOutputFile } from '../files/outputFile.js';
import { toResultsJson } from './resultsFile.js';
import { signalStopExitCode, type ModelIteration, type RunResults } from './RunResults.js';
import { writeJsonAtomic } from '../files/writeJsonAtomic.js';

/** A run's results without its records: what the journal's first (and last) line holds. */
export type RunHeader = Omit<RunResults, 'records'>;

/**
 * One line of the journal, JSON on one line. The first is the header as the run started, then one
 * record per switch in the order measured; `end`, the header as the run ended, is written only when the
 * run is over and its results file could not be written (so a journal without it is a run whose process
 * died, or one that could not even write its end).
 */
export type JournalLine = { header: RunHeader } | { record: ModelIteration } | { end: RunHeader };

/** The journal beside a results file, while its run is measuring. */
export const journalPathOf = (resultsPath: string): string => `${resultsPath}.journal.jsonl`;

const headerOf = ({ records: _records, ...header }: RunResults): RunHeader => header;

/**
 * A run stopped by the user (Ctrl-C, SIGTERM) before its first switch measured nothing: it saves no
 * results file, so one an earlier run wrote there stays as it was. A run the engine failed before its
 * first switch saves its failure: that is what the gate and `baseline update --accept-failure` read.
 */
export const nothingToSave = (results: RunResults): boolean => results.records.length === 0 && signalStopExitCode(results.failure) !== null;
const lineOf = (line: JournalLine): string => `${JSON.stringify(line)}\n`;

/**
 * The results of a run as it measures: each switch is appended to `PATH.journal.jsonl` as one line (a
 * cost that does not grow with the run), and `finish` folds the run into the results file, written
 * atomically once, then removes the journal (or, when that write fails, `keep` ends the journal).
 * Nothing is written before the first record, so a run that stops before measuring leaves an earlier
 * results file as it was.
 *
 * What survives what: a line is in the page cache once `append` returns (no fsync per line), so the
 * leakgate process being killed (SIGKILL, the OOM killer) loses nothing appended; a kernel crash or
 * power cut can lose the lines since the last writeback, and at worst tear the last one, which
 * readResultsJournal drops. The folded results file is fsynced.
 */
export class ResultsJournal {
  readonly path: string;
  private handle: FileHandle | null = null;
  /** Bytes of complete lines: a write that fails half-way is cut back to this. */
  private sizeBytes = 0;

  constructor(readonly resultsPath: string) {
    this.path = journalPathOf(resultsPath);
  }

  /**
   * Appends one record (the first also writes the header, replacing a journal a killed run left).
   * A write that fails (disk full, file-size limit, read-only) throws a one-line LeakgateError naming
   * the results file; the journal keeps every line appended before.
   */
  async append(results: RunResults, record: ModelIteration): Promise<void> {
    try {
      if (this.handle === null) {
        // Never through a link planted at the journal's path, never into a FIFO (it would block the run for good).
        await makeFolder(dirname(this.path));
        this.handle = await openOutputFile(this.path, 'replace', 'results journal', 'remove it, or pass --out to another file');
        await this.write(lineOf({ header: headerOf(results) }) + lineOf({ record }));
      } else {
        await this.write(lineOf({ record }));
      }
    } catch (error) {
      // A journal without its header would be unreadable: with nothing journalled yet, none is left.
      if (this.sizeBytes === 0 && this.handle) {
        await this.close();
        await rm(this.path, { force: true }).catch(() => undefined);
      }
      // The journal is how the results file is written: the user named the results file, so that is what fails.
      throw fileSystemError(error, 'cannot write the results file', this.resultsPath);
    }
  }

  /**
   * Writes the results file (seed-compatible JSON, atomically) and removes this run's journal. A journal
   * this run never wrote is an earlier run's, killed while measuring, and its only copy: it stays (older
   * than the results file, it is no longer read in its place). Nothing is written when there is nothing
   * to save (see nothingToSave). When the results file cannot be written the journal stays and the
   * write's error is thrown: call `keep` with the run as it then ended.
   */
  async finish(results: RunResults): Promise<void> {
    if (this.handle === null && nothingToSave(results)) return;
    await writeJsonAtomic(this.resultsPath, toResultsJson(results), 'results file');
    const journalled = this.handle !== null;
    await this.close();
    if (journalled) await rm(this.path, { force: true }).catch(() => undefined);
  }

  /** The results file could not be written: appends the run's end to the journal, if there is room for it, and closes it. */
  async keep(results: RunResults): Promise<void> {
    if (this.handle) await this.write(lineOf({ end: headerOf(results) })).catch(() => undefined);
    await this.close();
  }

  private async close(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
  }

  private async write(text: string): Promise<void> {
    const bytes = Buffer.from(text);
    try {
      // A file-size limit lets a write through in part before the next one fails with EFBIG.
      // Positioned writes: after a cut-back the next line starts where the last complete one ended.
      for (let offset = 0; offset < bytes.length; ) {
        offset += (await this.handle!.write(bytes, offset, bytes.length - offset, this.sizeBytes + offset)).bytesWritten;
      }
      this.sizeBytes += bytes.length;
    } catch (error) {
      // Never leave half a line: the next append (or the end) would run into it.
      await this.handle!.truncate(this.sizeBytes).catch(() => undefined);
      throw error;
    }
  }
}
