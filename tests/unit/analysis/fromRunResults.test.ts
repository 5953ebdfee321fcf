import { describe, expect, it } from 'vitest';
import { fromRunResults } from '../../../src/analysis/fromRunResults.js';
import type { RunResults } from '../../../src/results/RunResults.js';
import { modelIteration } from './fixtures/probeSample.js';
import { MIB } from '../../../src/units.js';
import { COMPLETED_RUN } from '../report/fixtures/syntheticRun.js';

function results(records: RunResults['records']): RunResults {
  return {
    ...COMPLETED_RUN,
    iterationsPlanned: 3,
    config: { threads: 2, contextLength: 512, language: 'auto', audioPath: 'a.wav', truth: null, trim: true, engineParams: [] },
    engine: { path: 'lib.so', sha256: 'x', reference: true, chatllmCommit: null },
    models: [
      { key: 'model_06b', label: '0.6B', path: 'a.bin', sizeBytes: 1, sha256Prefix: '0', kind: 'reference' },
      { key: 'model_17b', label: '1.7B', path: 'b.bin', sizeBytes: 1, sha256Prefix: '0', kind: 'reference' },
    ],
    records,
  };
}

describe('fromRunResults', () => {
  it('builds one series per model, ordered by iteration, with all three signals', () => {
    const records = [3, 1, 2].flatMap((i) => [
      modelIteration(
        'model_06b',
        i,
        { rssBytes: i * MIB, rssAnonBytes: 10 * i, heapInUseBytes: 100 * i },
        {
          rssBytes: i * MIB + 1,
          rssAnonBytes: 10 * i + 1,
          heapInUseBytes: 100 * i + 1,
        },
      ),
      modelIteration('model_17b', i, { heapInUseBytes: null }, { heapInUseBytes: i === 2 ? null : 5 }),
    ]);
    const [small, large] = fromRunResults(results(records));
    expect(small).toEqual({
      modelKey: 'model_06b',
      label: '0.6B',
      afterUnloadBytes: { heapInUse: [101, 201, 301], rssAnon: [11, 21, 31], rss: [MIB + 1, 2 * MIB + 1, 3 * MIB + 1] },
      beforeLoadBytes: { heapInUse: [100, 200, 300], rssAnon: [10, 20, 30], rss: [MIB, 2 * MIB, 3 * MIB] },
    });
    // heap-in-use null anywhere (off glibc) drops the signal rather than carrying nulls
    expect(large!.label).toBe('1.7B');
    expect(large!.afterUnloadBytes.heapInUse).toBeUndefined();
    expect(large!.beforeLoadBytes.heapInUse).toBeUndefined();
    expect(large!.afterUnloadBytes.rss).toHaveLength(3);
  });

  it('keeps a model with no records (empty series) and one that is not in models', () => {
    const out = fromRunResults(results([modelIteration('model_x', 1)]));
    expect(out.map((s) => s.modelKey)).toEqual(['model_06b', 'model_17b', 'model_x']);
    expect(out[0]!.afterUnloadBytes.rss).toEqual([]);
    expect(out[2]!.label).toBe('model_x');
  });
});
