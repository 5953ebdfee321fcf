/**
 * Once the allocation ledger's tables filled it no longer sees every engine allocation: its engine heap can
 * stay level while the engine leaks. Such a sample carries no engine-heap figures, so the engine-heap
 * signal is dropped and heap in use decides; the run says so once, and `analyze` of its file says the same.
 */
import { describe, expect, it } from 'vitest';
import { analyzeResults } from '../../../src/analysis/analyzeResults.js';
import { SIGNAL_READERS } from '../../../src/analysis/Signal.js';
import { engineLedgerSample } from '../../../src/host/engineLedgerSample.js';
import type { EngineHeapFigures } from '../../../src/protocol/EngineSiteChange.js';
import { PHASES } from '../../../src/results/ProbeSample.js';
import { fromResultsJson, toResultsJson } from '../../../src/results/resultsFile.js';
import type { RunResults } from '../../../src/results/RunResults.js';
import { validateResultsJson } from '../../../src/results/validateResultsJson.js';
import { createReporters, reportEnd } from '../../../src/report/reporters.js';
import { captureIO } from '../../support/captureIO.js';
import { probeSample } from '../analysis/fixtures/probeSample.js';
import { leakingModel, syntheticRun } from '../report/fixtures/syntheticRun.js';

const figures = (tableFailures: number): EngineHeapFigures => ({
  heapBytes: 1000,
  heapBlocks: 3,
  mmapBytes: 4096,
  mmapRegions: 1,
  tableFailures,
});

/** A run whose engine leaks 1 MiB per switch past the ledger: heap in use rises, the ledger's engine heap stays level. */
function leakPastTheLedger(failuresAt: (iteration: number) => number): RunResults {
  const results = syntheticRun([leakingModel()], 12);
  for (const record of results.records) {
    for (const phase of PHASES) Object.assign(record.phases[phase], engineLedgerSample(figures(failuresAt(record.iteration)), undefined));
  }
  return results;
}

describe('a sample whose allocation ledger lost count', () => {
  it('has no engine-heap value, and keeps how many allocations went uncounted', () => {
    const sample = probeSample(engineLedgerSample(figures(2), undefined));
    expect(SIGNAL_READERS.engineHeap(sample)).toBeNull();
    expect(sample).toMatchObject({ engineHeapBytes: null, engineHeapBlocks: null, engineMmapBytes: null, engineUncountedAllocations: 2 });
  });

  it('while the ledger counts every allocation, the engine heap is its heap and mmap bytes', () => {
    const sample = probeSample(engineLedgerSample(figures(0), undefined));
    expect(SIGNAL_READERS.engineHeap(sample)).toBe(1000 + 4096);
    expect(sample.engineUncountedAllocations).toBeUndefined();
  });
});

describe('a run whose allocation ledger filled', () => {
  it('is judged on heap in use: a leak, not the level engine heap the ledger saw', () => {
    // The control: a ledger that counted every allocation is trusted, and its level engine heap decides.
    expect(analyzeResults(leakPastTheLedger(() => 0)).judgement.models[0]).toMatchObject({ decidedBy: 'engineHeap', verdict: 'clean' });
    const analysis = analyzeResults(leakPastTheLedger((iteration) => (iteration >= 4 ? 10 * iteration : 0)));
    expect(analysis.series[0]!.afterUnloadBytes.engineHeap).toBeUndefined();
    expect(analysis.judgement.models[0]).toMatchObject({ decidedBy: 'heapInUse', verdict: 'leak' });
    expect(analysis.uncountedEngineAllocations).toBe(120);
  });

  it('says so once in the console output, as analyze of its results file does', async () => {
    // Through the results file, as `leakgate analyze` reads it: the samples keep what the ledger lost.
    const json = JSON.parse(JSON.stringify(toResultsJson(leakPastTheLedger((iteration) => (iteration >= 4 ? 10 * iteration : 0)))));
    validateResultsJson(json, 'results.json');
    const results = fromResultsJson(json)!;
    const io = captureIO('/');
    await reportEnd(createReporters(['console'], io, { verbose: false, reportDir: null }), {
      results,
      analysis: analyzeResults(results),
      gate: null,
      baselineFile: null,
    });
    const notes = io.stdout.split('\n').filter((line) => line.includes('allocation ledger: its tables filled'));
    expect(notes).toEqual([
      'Note: allocation ledger: its tables filled (120 allocation(s) uncounted); the engine heap is not judged, heap in use decides',
    ]);
  });

  it('prints no such note while the ledger counted every allocation', async () => {
    const results = leakPastTheLedger(() => 0);
    const io = captureIO('/');
    await reportEnd(createReporters(['console'], io, { verbose: false, reportDir: null }), {
      results,
      analysis: analyzeResults(results),
      gate: null,
      baselineFile: null,
    });
    expect(io.stdout).not.toContain('allocation ledger');
  });
});
