/**
 * The allocation ledger on the reference engine: the engine's own memory is counted exactly, so a leak
 * of one 32-byte block per load is a leak within 10 switches, decided by the engine heap and named at
 * its function; the clean control is clean on the same exact counts; without the ledger the verdict
 * falls back to heap in use.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RefModelSpec } from '../../src/refmodel/RefModelSpec.js';
import { run, type RunOutcome } from '../../src/pipelines/run.js';
import { quietIO, refModelDir } from '../support/refModels.js';
import { MIB } from '../../src/units.js';

const models = refModelDir();
afterAll(models.cleanup);

async function runModels(name: string, specs: Partial<RefModelSpec>[], iterations: number): Promise<RunOutcome> {
  const paths = await Promise.all(
    specs.map((spec, i) => models.model(`${name}-${i}`, { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0, ...spec })),
  );
  return run({ models: paths, iterations, out: join(models.dir, `${name}.json`), compareWithBaseline: false }, quietIO(models.dir));
}

const engineEvidence = (outcome: RunOutcome, model = 0) =>
  outcome.analysis.judgement.models[model]!.evidence.find((e) => e.signal === 'engineHeap');

describe('the engine heap, counted exactly by the allocation ledger', () => {
  it('a 32-byte leak per load is a leak within 10 switches, decided by the engine heap and named at its function', async () => {
    const outcome = await runModels('leak32', [{ leakPerLoadBytes: 32 }], 10);
    const model = outcome.analysis.judgement.models[0]!;
    expect(model).toMatchObject({ verdict: 'leak', decidedBy: 'engineHeap' });
    expect(engineEvidence(outcome)).toMatchObject({ rule: 'exact-count-leak', slopeBytesPerSwitch: 32 });
    // Decided at most 7 switches after warm-up: the 4 in a row the rule needs.
    expect(engineEvidence(outcome)!.warmupSwitches).toBeLessThanOrEqual(3);
    const [top] = outcome.analysis.engineSites[0]!.sites;
    expect(top).toMatchObject({ function: 'refengine_leak_per_load', bytesPerSwitch: 32, blocksPerSwitch: 1, shareOfSlope: 1 });
    expect(top!.location).toMatch(/refengine\.c:\d+$/);
    // No allocator setting pinned by default (LEAKGATE_LEDGER_PIN_MMAP=1 pins the mmap threshold at 32 MiB): recorded as 0.
    expect(outcome.results.engine.ledger).toMatchObject({ mmapThresholdBytes: 0 });
    expect(outcome.gate.passed).toBe(false);
  });

  it('the clean control is clean on the engine heap: not one byte per switch', async () => {
    const outcome = await runModels('clean', [{}, {}], 12);
    for (const i of [0, 1]) {
      expect(outcome.analysis.judgement.models[i]).toMatchObject({ verdict: 'clean', decidedBy: 'engineHeap' });
      expect(engineEvidence(outcome, i)!.slopeBytesPerSwitch).toBe(0);
    }
    expect(outcome.analysis.engineSites.flatMap((m) => m.sites)).toEqual([]);
  });

  it('next to a clean model, only the one that leaks 32 bytes per load is a leak', async () => {
    const outcome = await runModels('pair', [{}, { leakPerLoadBytes: 32 }], 10);
    expect(outcome.analysis.judgement.models.map((m) => m.verdict)).toEqual(['clean', 'leak']);
    expect(outcome.analysis.engineSites[0]!.sites).toEqual([]);
    expect(outcome.analysis.engineSites[1]!.sites[0]).toMatchObject({ function: 'refengine_leak_per_load', bytesPerSwitch: 32 });
  });

  it('one 32-byte block leaked at every other load is a leak', async () => {
    const outcome = await runModels('every-other', [{ leakPerLoadBytes: 32, leakEveryOtherLoad: true }], 10);
    expect(outcome.analysis.judgement.models[0]).toMatchObject({ verdict: 'leak', decidedBy: 'engineHeap' });
    // Loads 2, 4, ..., 10 leak; the first also makes the oracle's per-file load counter (39 B, once).
    expect(engineEvidence(outcome)!.explanation).toMatch(/rose at 6 of 10 switches and never fell/);
    expect(outcome.analysis.engineSites[0]!.sites[0]).toMatchObject({
      function: 'refengine_leak_per_load',
      bytesPerSwitch: 16,
      risingSwitches: 5,
    });
  });

  it('an anonymous mapping leaked per load is counted to the byte and named', async () => {
    const outcome = await runModels('mmap', [{ leakPerLoadBytes: 12_345, leakAsMmap: true }], 6);
    const after = outcome.results.records.map((r) => r.phases.afterUnload.engineMmapBytes);
    expect(after).toEqual([1, 2, 3, 4, 5, 6].map((k) => k * 12_345));
    expect(outcome.analysis.judgement.models[0]).toMatchObject({ verdict: 'leak', decidedBy: 'engineHeap' });
    expect(outcome.analysis.engineSites[0]!.sites[0]).toMatchObject({ function: 'refengine_leak_mmap_per_load', bytesPerSwitch: 12_345 });
  });

  it('with LEAKGATE_LEDGER=0 the worker runs without it and heap in use decides', async () => {
    process.env['LEAKGATE_LEDGER'] = '0';
    try {
      const outcome = await runModels('no-ledger', [{ leakPerLoadBytes: 32 }], 5);
      expect(outcome.analysis.judgement.models[0]!.decidedBy).toBe('heapInUse');
      expect(engineEvidence(outcome)).toBeUndefined();
      expect(outcome.results.engine.ledger ?? null).toBeNull();
    } finally {
      delete process.env['LEAKGATE_LEDGER'];
    }
  });
});
