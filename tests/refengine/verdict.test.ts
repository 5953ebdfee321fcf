/**
 * The detector proven on the reference engine: planted leaks are found, controls (clean, noisy
 * clean, plateau) are not flagged, and a crash is reported as a crash, not as a leak.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MINIMUM_FLOOR_BYTES_PER_SWITCH } from '../../src/analysis/noiseFloor.js';
import type { RefModelSpec } from '../../src/refmodel/RefModelSpec.js';
import { run, type RunOutcome } from '../../src/pipelines/run.js';
import '../../src/vitest/matchers.js';
import { quietIO, refModelDir, stranding } from '../support/refModels.js';
import { KIB, MIB } from '../../src/units.js';

const models = refModelDir();
afterAll(models.cleanup);

async function runOne(name: string, spec: Partial<RefModelSpec>, iterations: number): Promise<RunOutcome> {
  const path = await models.model(name, { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0, ...spec });
  return run({ models: [path], iterations, out: join(models.dir, `${name}.json`), compareWithBaseline: false }, quietIO(models.dir));
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
    expect(() => expect(outcome).toHaveNoLeak()).toThrow(/neighbour-leaky leaks: engineHeap: leak, .*1\.0 MiB\/switch/);
  });
});

describe('failures are not leaks', () => {
  it('a crash is reported as a crash, and what it measured is undecided, not clean', async () => {
    const outcome = await runOne('crash', { crash: { step: 'infer', iteration: 4, kind: 'segv' } }, 10);
    expect(outcome.results.failure).toMatchObject({ kind: 'crash', signal: 'SIGSEGV', iteration: 4, step: 'infer' });
    expect(outcome.analysis.judgement.models[0]!.verdict).toBe('undecided');
    // the model's memory and, over 3 switches (fewer than the 4 a count needs to be clean), its fd,
    // thread and mapping counts: undecided each
    expect(outcome.gate.violations.map((v) => v.kind)).toEqual(['failure', 'undecided', 'undecided', 'undecided', 'undecided']);
    expect(outcome.analysis.judgement.counts.map((c) => [c.kind, c.verdict, c.moreSwitchesNeeded])).toEqual([
      ['fd', 'undecided', 1],
      ['thread', 'undecided', 1],
      ['mapping', 'undecided', 1],
    ]);
  });

  it('a run of one switch is undecided and fails the gate, never clean', async () => {
    const outcome = await runOne('one-switch', {}, 1);
    expect(outcome.analysis.judgement.verdict).toBe('undecided');
    expect(outcome.gate.passed).toBe(false);
    expect(outcome.gate.violations[0]!.message).toMatch(
      /undecided, not proven clean: .*only 1 switches to measure, at least 4 needed \(run at least 3 more\)/,
    );
  });
});

const countOf = (outcome: RunOutcome, kind: string) => outcome.analysis.judgement.counts.find((c) => c.kind === kind)!;

describe('what unloads give back is judged as a series', () => {
  it('an fd kept open per load is an fd leak of +1.0 fd/switch naming the model file, and the run goes on', async () => {
    const outcome = await runOne('keep-fd', { keepFd: true }, 6);
    expect(outcome.results.records).toHaveLength(6);
    const fd = countOf(outcome, 'fd');
    expect(fd).toMatchObject({ verdict: 'leak', perSwitch: 1, firstIteration: 1 });
    expect(fd.message).toMatch(
      /^fd leak: \+1\.0 fd\/switch over 6 switches \(keep-fd\): the model file .*keep-fd\.bin stays open \(6 of 6 unloads\)/,
    );
    expect(outcome.gate.violations.map((v) => v.kind)).toContain('count');
  });

  it('a thread leaked per load is a thread leak', async () => {
    expect(countOf(await runOne('keep-thread', { keepThread: true }, 6), 'thread')).toMatchObject({ verdict: 'leak', perSwitch: 1 });
  });

  it('a thread started once (a runtime pool) is one-time, shown and not failed', async () => {
    const outcome = await runOne('thread-once', { threadOnce: true }, 8);
    expect(countOf(outcome, 'thread')).toMatchObject({ verdict: 'one-time', growth: 1 });
    expect(outcome.gate.violations.filter((v) => v.kind === 'count')).toEqual([]);
  });

  it('a mapping left behind is a leak from the first unload, with its path and size', async () => {
    const outcome = await runOne('mapping', { keepMapping: true }, 5);
    const mapping = countOf(outcome, 'mapping');
    expect(mapping).toMatchObject({ verdict: 'leak', firstIteration: 1 });
    expect(mapping.message).toMatch(
      /mapping leak: the model file .*mapping\.bin stays mapped \(1 mappings, 2\.0 MiB\) after 5 of 5 unloads/,
    );
  });

  it('--fail-fast stops at the first unload that leaves an fd behind', async () => {
    const path = await models.model('fail-fast', { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0, keepFd: true });
    const outcome = await run(
      { models: [path], iterations: 6, failFast: true, out: join(models.dir, 'ff.json'), compareWithBaseline: false },
      quietIO(models.dir),
    );
    expect(outcome.results.failure).toMatchObject({ kind: 'unload-check', iteration: 1 });
    expect(outcome.results.failure!.message).toMatch(/more open fd/);
  });
});

describe('an oracle shaped like chatllm.cpp', () => {
  it('heap leak + fd per load (pin + PR #111): heap leak and fd leak, both named', async () => {
    const outcome = await runOne('chatllm-111', { leakPerLoadBytes: 690 * 1000, keepFd: true }, 8);
    expect(outcome.analysis.judgement.models[0]!.verdict).toBe('leak');
    expect(Math.abs(heapEvidence(outcome).slopeBytesPerSwitch / (690 * 1000) - 1)).toBeLessThan(0.05);
    expect(countOf(outcome, 'fd').verdict).toBe('leak');
  });

  it('fragmentation: small blocks pin large freed ones, RSS grows many times faster than heap in use', async () => {
    const outcome = await runOne('fragment', { fragmentBytes: 32 * MIB, fragmentPinBytes: 64 * KIB }, 8);
    const model = outcome.analysis.judgement.models[0]!;
    expect(model.verdict).toBe('leak');
    const rssAnon = model.evidence.find((e) => e.signal === 'rssAnon')!;
    expect(heapEvidence(outcome).slopeBytesPerSwitch).toBeGreaterThan(400 * KIB);
    expect(rssAnon.verdict).toBe('leak');
    expect(rssAnon.slopeBytesPerSwitch).toBeGreaterThan(10 * heapEvidence(outcome).slopeBytesPerSwitch);
  });

  it("allocator retention: no heap-in-use leak, pins counted to the byte, the report says malloc's arenas keep it", async () => {
    // 12: enough rises for the sign test to call RssAnon's climb a leak whatever its floor
    const outcome = await runOne('retain', { fragmentBytes: 32 * MIB }, 12);
    const model = outcome.analysis.judgement.models[0]!;
    expect(heapEvidence(outcome).verdict).not.toBe('leak');
    // The oracle never frees its pins: 8 chunks of about 4 MiB, each shrunk to a 16-byte pin, per load.
    // The engine heap counts them exactly: a real leak of 128 B/switch, far below heap in use's floor.
    const engine = model.evidence.find((e) => e.signal === 'engineHeap')!;
    expect(engine).toMatchObject({ verdict: 'leak', slopeBytesPerSwitch: 8 * 16 });
    const rssAnon = model.evidence.find((e) => e.signal === 'rssAnon')!;
    expect(rssAnon.verdict, `${rssAnon.explanation}; ${stranding(outcome, rssAnon.verdict === 'leak')}`).toBe('leak');
    // Told apart in the same run (memory outside malloc is flat), so no rerun with --trim is asked for.
    expect(
      model.explanations.some(
        (l) =>
          l.startsWith('RSS grows while heap in use and anonymous memory outside malloc do not') && l.includes('malloc_trim(0) gives back'),
      ),
    ).toBe(true);
  });

  it('the same retention with --trim keeps RssAnon flat (the control)', async () => {
    const path = await models.model('retain-trim', { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0, fragmentBytes: 32 * MIB });
    const outcome = await run(
      { models: [path], iterations: 8, trim: true, out: join(models.dir, 'rt.json'), compareWithBaseline: false },
      quietIO(models.dir),
    );
    expect(outcome.analysis.judgement.models[0]!.evidence.find((e) => e.signal === 'rssAnon')!.verdict).not.toBe('leak');
  });
});
