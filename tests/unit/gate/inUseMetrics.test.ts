/**
 * The RSS figures the gate compares are memory in use: the run's growth less what the closing
 * malloc_trim(0) gave back, and peak RSS and RSS per switch less what malloc holds free (mallinfo2
 * fordblks). Memory the allocator keeps for reuse moved them by gigabytes between identical runs.
 */
import { describe, expect, it } from 'vitest';
import { analyzeResults } from '../../../src/analysis/analyzeResults.js';
import { METRICS } from '../../../src/gate/metrics.js';
import type { RunResults, TrimProbeSample } from '../../../src/results/RunResults.js';
import { MIB } from '../../../src/units.js';
import { cleanModel, syntheticRun } from '../report/fixtures/syntheticRun.js';

const ITERATIONS = 8;
const metric = (name: string) => METRICS.find((m) => m.name === name)!;
const growth = metric('growthBytesPerIteration');

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

const measureAs = (name: string, results: RunResults, modelKey: string | null): number | null => {
  const analysis = analyzeResults(results);
  return metric(name).measure({ results, summary: analysis.summary, judgement: analysis.judgement }, modelKey);
};
const measure = (results: RunResults): number | null => measureAs(growth.name, results, null);

/**
 * A clean run whose allocator keeps `freeBytes(k)` free (and resident) after switch k: RSS and RssAnon
 * carry it at every phase from then on, heap in use does not.
 */
function retaining(freeBytes: (k: number) => number, iterations = 12): RunResults {
  const results = syntheticRun([cleanModel()], iterations);
  for (const record of results.records) {
    const held = freeBytes(record.iteration);
    for (const sample of Object.values(record.phases)) {
      sample.rssBytes += held;
      sample.rssAnonBytes += held;
      sample.mallocFreeBytes = held;
    }
  }
  return results;
}

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

describe('peak RSS and RSS per switch are compared in use', () => {
  const growingRetention = (k: number) => k * 200 * MIB;

  it('a growing free arena is no RSS leak and no higher peak', () => {
    const plain = syntheticRun([cleanModel()], 12);
    const retained = retaining(growingRetention);
    expect(measureAs('peakRssBytes', retained, 'model_clean')).toBe(measureAs('peakRssBytes', plain, 'model_clean'));
    expect(measureAs('leakBytesPerSwitch.rssAnon', retained, 'model_clean')).toBe(0);
    expect(measureAs('leakBytesPerSwitch.rss', retained, 'model_clean')).toBe(0);
  });

  it('memory in use that grows is still measured (the control)', () => {
    const leaking = retaining(() => 0);
    for (const record of leaking.records) for (const sample of Object.values(record.phases)) sample.rssAnonBytes += record.iteration * MIB;
    expect(measureAs('leakBytesPerSwitch.rssAnon', leaking, 'model_clean')).toBe(MIB);
  });

  it('with --trim the free chunks were given back: nothing is taken off', () => {
    const trimmed = retaining(growingRetention);
    trimmed.config.trim = true;
    expect(measureAs('leakBytesPerSwitch.rssAnon', trimmed, 'model_clean')).toBe(200 * MIB);
  });
});
