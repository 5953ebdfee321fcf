/**
 * The run-level growth the gate compares: the seed's Growth Rate less what the closing malloc_trim(0)
 * gave back. Memory the allocator keeps for reuse moved it by tens of MiB between identical runs.
 */
import { describe, expect, it } from 'vitest';
import { analyzeResults } from '../../../src/analysis/analyzeResults.js';
import { METRICS } from '../../../src/gate/metrics.js';
import type { RunResults, TrimProbeSample } from '../../../src/results/RunResults.js';
import { MIB } from '../../../src/units.js';
import { cleanModel, syntheticRun } from '../report/fixtures/syntheticRun.js';

const ITERATIONS = 8;
const growth = METRICS.find((metric) => metric.name === 'growthBytesPerIteration')!;

/** A clean run whose last unload leaves `keptBytes` more RSS than the first load started from. */
function endingAbove(keptBytes: number): RunResults {
  const results = syntheticRun([cleanModel()], ITERATIONS);
  const last = results.records.at(-1)!.phases.afterUnload;
  last.rssBytes += keptBytes;
  last.rssAnonBytes += keptBytes;
  return results;
}

const probeSample = (rssAnonBytes: number): TrimProbeSample => ({
  rssAnonBytes,
  heapInUseBytes: 0,
  mallocArenaBytes: null,
  mallocMmappedBytes: null,
  outsideMallocBytes: null,
});

const measure = (results: RunResults): number | null => {
  const analysis = analyzeResults(results);
  return growth.measure({ results, summary: analysis.summary, judgement: analysis.judgement }, null);
};

describe('growthBytesPerIteration', () => {
  it('is the seed growth per iteration when no trim was probed', () => {
    expect(measure(endingAbove(64 * MIB))).toBe((64 * MIB) / ITERATIONS);
  });

  it('leaves out what malloc_trim(0) gave back at the end: retained memory is no growth', () => {
    const results = endingAbove(64 * MIB);
    results.trimProbe = { before: probeSample(200 * MIB), after: probeSample(136 * MIB), trimMs: 3 };
    expect(measure(results)).toBe(0);
  });

  it('still counts the growth the trim could not give back (the control)', () => {
    const results = endingAbove(64 * MIB);
    results.trimProbe = { before: probeSample(200 * MIB), after: probeSample(184 * MIB), trimMs: 3 };
    expect(measure(results)).toBe((48 * MIB) / ITERATIONS);
  });

  it('never adds what a trim appeared to take (RSS rose across it)', () => {
    const results = endingAbove(64 * MIB);
    results.trimProbe = { before: probeSample(200 * MIB), after: probeSample(201 * MIB), trimMs: 3 };
    expect(measure(results)).toBe((64 * MIB) / ITERATIONS);
  });
});
