/**
 * The results journal: switches appended one line each, folded into the same results file a single
 * write of the whole run gives; a journal a killed run left is read back as running, its torn last line
 * dropped; a journal is preferred only when it is not older than the results file.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeResults } from '../../../src/analysis/analyzeResults.js';
import { evaluateGate } from '../../../src/gate/evaluateGate.js';
import { readResultsFile } from '../../../src/pipelines/readResultsFile.js';
import { parseResultsJournal } from '../../../src/results/readResultsJournal.js';
import { journalPathOf, ResultsJournal } from '../../../src/results/ResultsJournal.js';
import { toResultsJson } from '../../../src/results/resultsFile.js';
import type { RunResults } from '../../../src/results/RunResults.js';
import { writeJsonAtomic } from '../../../src/files/writeJsonAtomic.js';
import { cleanModel, leakingModel, syntheticRun } from '../report/fixtures/syntheticRun.js';

const dir = mkdtempSync(join(tmpdir(), 'leakgate-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ITERATIONS = 6;
let files = 0;
const nextPath = (): string => join(dir, `results-${(files += 1)}.json`);

/** A finished run of two models, and the same run as it looked when it started (no records, running). */
function runPair(): { finished: RunResults; started: RunResults } {
  const finished = syntheticRun([cleanModel(), leakingModel()], ITERATIONS);
  const started: RunResults = { ...structuredClone(finished), status: 'running', finishedAt: null, failure: null, records: [] };
  return { finished, started };
}

/** Appends every record of `finished` through a journal, as measureRun does; returns the journal. */
async function journalled(
  path: string,
  finished: RunResults,
  started: RunResults,
  count = finished.records.length,
): Promise<ResultsJournal> {
  const journal = new ResultsJournal(path);
  for (const record of finished.records.slice(0, count)) {
    await journal.append(started, record);
    started.records.push(record);
  }
  return journal;
}

/** The lines of a journal a run wrote so far, as a killed run leaves them. */
function killedRunJournal(started: RunResults, finished: RunResults, records: number): string {
  const { records: _none, ...header } = started;
  return [JSON.stringify({ header }), ...finished.records.slice(0, records).map((record) => JSON.stringify({ record }))]
    .map((line) => `${line}\n`)
    .join('');
}

describe('ResultsJournal', () => {
  it('append then finish writes byte for byte the file one write of the whole run gives, and removes the journal', async () => {
    const { finished, started } = runPair();
    const path = nextPath();
    const journal = await journalled(path, finished, started);
    expect(readFileSync(journalPathOf(path), 'utf8').trim().split('\n')).toHaveLength(finished.records.length + 1);
    await journal.finish(finished);

    const reference = nextPath();
    await writeJsonAtomic(reference, toResultsJson(finished));
    expect(readFileSync(path, 'utf8')).toBe(readFileSync(reference, 'utf8'));
    expect(existsSync(journalPathOf(path))).toBe(false);
  });

  it('writes nothing before the first record: a run that ends before measuring leaves an earlier file as it was', () => {
    const path = nextPath();
    writeFileSync(path, 'earlier results\n');
    const journal = new ResultsJournal(path);
    expect(journal.path).toBe(`${path}.journal.jsonl`);
    expect(existsSync(journal.path)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('earlier results\n');
  });

  it("refuses a FIFO left at the journal's path (opening it would block the run) as a failed results write", async () => {
    const { finished, started } = runPair();
    const path = nextPath();
    expect(spawnSync('mkfifo', [journalPathOf(path)]).status).toBe(0);
    await expect(new ResultsJournal(path).append(started, finished.records[0]!)).rejects.toThrow(
      `results journal ${journalPathOf(path)}: it is a FIFO`,
    );
  });

  it('the journal holds what was appended: read back, the run is the one measured so far, running', async () => {
    const { finished, started } = runPair();
    const path = nextPath();
    await journalled(path, finished, started, 5);
    const read = parseResultsJournal(readFileSync(journalPathOf(path), 'utf8'), journalPathOf(path));
    expect(read).toEqual({ ...started, records: finished.records.slice(0, 5) });
    expect(read.status).toBe('running');
  });

  it('keep (the results file could not be written) ends the journal with the run as it ended', async () => {
    const { finished, started } = runPair();
    const path = nextPath();
    const journal = await journalled(path, finished, started, 3);
    const failed: RunResults = {
      ...finished,
      records: finished.records.slice(0, 3),
      status: 'failed',
      failure: {
        kind: 'write-failed',
        modelKey: null,
        iteration: 2,
        step: null,
        signal: null,
        timeoutMs: null,
        message: 'cannot write the results file: ENOSPC',
      },
    };
    await journal.keep(failed);
    expect(existsSync(path)).toBe(false);
    const { results } = (await readResultsFile(path)) as { results: RunResults };
    expect(results.status).toBe('failed');
    expect(results.failure?.kind).toBe('write-failed');
    expect(results.records).toEqual(failed.records);
  });
});

describe('readResultsFile: a journal a killed run left', () => {
  it('is read back with status running and every complete record; the gate refuses it as unfinished', async () => {
    const { finished, started } = runPair();
    const path = nextPath();
    writeFileSync(journalPathOf(path), killedRunJournal(started, finished, 3));
    const file = await readResultsFile(path);
    expect(file.format).toBe('leakgate');
    const { results } = file as { results: RunResults };
    expect(results.status).toBe('running');
    expect(results.finishedAt).toBeNull();
    expect(results.records).toEqual(finished.records.slice(0, 3));

    const gate = evaluateGate(results, analyzeResults(results), null);
    expect(gate.passed).toBe(false);
    expect(gate.violations).toContainEqual(
      expect.objectContaining({ kind: 'incomplete', message: expect.stringContaining('the run did not finish (status running, 1 of 6') }),
    );
  });

  it('drops a torn last line (killed mid-write) instead of failing', async () => {
    const { finished, started } = runPair();
    const path = nextPath();
    const torn = JSON.stringify({ record: finished.records[3] }).slice(0, 200);
    writeFileSync(journalPathOf(path), killedRunJournal(started, finished, 3) + torn);
    const { results } = (await readResultsFile(path)) as { results: RunResults };
    expect(results.records).toEqual(finished.records.slice(0, 3));
  });

  it('refuses a bad line that is not the last, naming it', async () => {
    const { finished, started } = runPair();
    const path = nextPath();
    const lines = killedRunJournal(started, finished, 3).split('\n');
    lines[2] = lines[2]!.slice(0, 50);
    writeFileSync(journalPathOf(path), lines.join('\n'));
    await expect(readResultsFile(path)).rejects.toThrow(`${journalPathOf(path)}: line 3 is not JSON`);
  });

  it('refuses a record whose probes are not numbers, as a results file is refused', async () => {
    const { finished, started } = runPair();
    const path = nextPath();
    const record = structuredClone(finished.records[0]!);
    (record.phases.afterUnload as { rssBytes: unknown }).rssBytes = null;
    writeFileSync(
      journalPathOf(path),
      `${killedRunJournal(started, finished, 0)}${JSON.stringify({ record })}\n${JSON.stringify({ record: finished.records[1] })}\n`,
    );
    await expect(readResultsFile(path)).rejects.toThrow(/rssBytes is not a finite number/);
  });

  it('is read instead of an older results file, and not instead of a newer one', async () => {
    const { finished, started } = runPair();
    const path = nextPath();
    await writeJsonAtomic(path, toResultsJson(finished));
    writeFileSync(journalPathOf(path), killedRunJournal(started, finished, 2));
    const past = new Date(Date.now() - 60_000);
    utimesSync(path, past, past);
    expect(((await readResultsFile(path)) as { results: RunResults }).results.records).toHaveLength(2);

    utimesSync(journalPathOf(path), new Date(past.getTime() - 60_000), new Date(past.getTime() - 60_000));
    const { results } = (await readResultsFile(path)) as { results: RunResults };
    expect(results.status).toBe('complete');
    expect(results.records).toHaveLength(finished.records.length);
  });

  it('a journal still growing gains each appended record', async () => {
    const { finished, started } = runPair();
    const path = nextPath();
    writeFileSync(journalPathOf(path), killedRunJournal(started, finished, 1));
    expect(((await readResultsFile(path)) as { results: RunResults }).results.records).toHaveLength(1);
    appendFileSync(journalPathOf(path), `${JSON.stringify({ record: finished.records[1] })}\n`);
    expect(((await readResultsFile(path)) as { results: RunResults }).results.records).toHaveLength(2);
  });
});
