/**
 * The detector proven on the reference engine: planted leaks are found, controls (clean, noisy
 * clean, plateau) are not flagged, and a crash is reported as a crash, not as a leak.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MINIMUM_FLOOR_BYTES_PER_SWITCH } from '../../src/analysis/noiseFloor.js';
import type { RefModelSpec } from '../../src/refmodel/RefModelSpec.js';
import { run, type RunOutcome } from '../../src/run.js';
import '../../src/vitest/matchers.js';
import { quietIO, refModelDir } from '../support/refModels.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const models = refModelDir();
afterAll(models.cleanup);

async function runOne(name: string, spec: Partial<RefModelSpec>, iterations: number): Promise<RunOutcome> {
  const path = await models.model(name, { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0, ...spec });
  return run({ models: [path], iterations, out: join(models.dir, `${name}.json`), baseline: join(models.dir, 'none.json') }, quietIO(models.dir));
}

const heapEvidence = (outcome: RunOutcome) => outcome.analysis.judgement.models[0]!.evidence.find((e) => e.signal === 'heapInUse')!;

describe('planted leaks are found within 10 switches', () => {
  it.each([
    ['16 KiB', 16 * KIB],
    ['256 KiB', 256 * KIB],
    ['4 MiB', 4 * MIB],
  ])('a %s per-load leak: verdict leak, estimate within 10 %% (or the heap floor)', async (_name, bytes) => {
    const outcome = await runOne(`leak-${bytes}`, { leakPerLoadBytes: bytes }, 10);
    expect(outcome.analysis.judgement.models[0]!.verdict).toBe('leak');
    // The worker's own runtime adds up to a few KiB per switch (the reason for the heap floor):
    // small leaks are estimated to within that, large ones to within 10 %.
    const toleranceBytes = Math.max(0.1 * bytes, MINIMUM_FLOOR_BYTES_PER_SWITCH.heapInUse);
    expect(Math.abs(heapEvidence(outcome).slopeBytesPerSwitch - bytes)).toBeLessThan(toleranceBytes);
    expect(outcome.gate.passed).toBe(false);
  });

  it('a 256 KiB per-inference leak is found too', async () => {
    const outcome = await runOne('leak-infer', { leakPerInferBytes: 256 * KIB }, 10);
    expect(outcome.analysis.judgement.models[0]!.verdict).toBe('leak');
  });
});

describe('controls do not trip', () => {
  it('a clean model is clean', async () => {
    const outcome = await runOne('clean', {}, 12);
    expect(outcome.analysis.judgement.models[0]!.verdict).toBe('clean');
    expect(outcome).toHaveNoLeak();
  });

  it('a noisy clean model (up to 4 MiB of stationary noise) is not a leak', async () => {
    const outcome = await runOne('noisy', { noiseBytes: 4 * MIB }, 15);
    expect(outcome.analysis.judgement.models[0]!.verdict).not.toBe('leak');
    expect(outcome).toHaveNoLeak();
  });

  it('a plateau (8 MiB retained by each of the first 4 loads, then nothing) is a plateau', async () => {
    const outcome = await runOne('plateau', { plateauLoads: 4, plateauBytes: 8 * MIB }, 15);
    const model = outcome.analysis.judgement.models[0]!;
    expect(model.verdict).toBe('plateau');
    expect(heapEvidence(outcome).warmupSwitches).toBeGreaterThanOrEqual(3);
    expect(heapEvidence(outcome).warmupSwitches).toBeLessThanOrEqual(5);
    expect(outcome).toHaveNoLeak();
  });

  it("a clean model next to a leaking one is not blamed for its neighbour's leak", async () => {
    const clean = await models.model('neighbour-clean', { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0 });
    const leaky = await models.model('neighbour-leaky', { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0, leakPerLoadBytes: 1 * MIB });
    const outcome = await run({ models: [clean, leaky], iterations: 10, out: join(models.dir, 'pair.json') }, quietIO(models.dir));
    const [a, b] = outcome.analysis.judgement.models;
    expect(a!.verdict).toBe('clean');
    expect(b!.verdict).toBe('leak');
    // The gate names the leaking model, the signal and the figure.
    expect(() => expect(outcome).toHaveNoLeak()).toThrow(/neighbour-leaky leaks: heapInUse: leak, 1\.0 MiB\/switch/);
  });
});

describe('failures are not leaks', () => {
  it('a crash is reported as a crash', async () => {
    const outcome = await runOne('crash', { crash: { step: 'infer', iteration: 4, kind: 'segv' } }, 10);
    expect(outcome.results.failure).toMatchObject({ kind: 'crash', signal: 'SIGSEGV', iteration: 4, step: 'infer' });
    expect(outcome.analysis.judgement.models[0]!.verdict).not.toBe('leak');
    expect(outcome.gate.violations.map((v) => v.kind)).toEqual(['failure']);
  });

  it('a mapping left behind fails the unload check at once, naming the iteration', async () => {
    const outcome = await runOne('mapping', { keepMapping: true }, 10);
    expect(outcome.results.failure).toMatchObject({ kind: 'unload-check', iteration: 1 });
    expect(outcome.results.failure!.message).toMatch(/model file still mapped after unload/);
    expect(outcome.gate.violations.some((v) => v.kind === 'unload-check')).toBe(true);
  });

  it.each([
    ['fd', { keepFd: true }, /more open fd/],
    ['thread', { keepThread: true }, /more thread/],
  ] as const)('a leaked %s fails the unload check', async (name, spec, message) => {
    const outcome = await runOne(`keep-${name}`, spec, 5);
    expect(outcome.results.failure?.kind).toBe('unload-check');
    expect(outcome.results.failure!.message).toMatch(message);
  });
});
