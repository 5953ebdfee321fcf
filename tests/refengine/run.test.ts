import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { journalPathOf } from '../../src/results/ResultsJournal.js';
import { fromResultsJson } from '../../src/results/resultsFile.js';
import { PHASES } from '../../src/results/ProbeSample.js';
import { summarizeRun } from '../../src/results/summarizeRun.js';
import { run } from '../../src/pipelines/run.js';
import { updateBaseline } from '../../src/pipelines/updateBaseline.js';
import { ExitCode } from '../../src/errors.js';
import { quietIO, refModelDir } from '../support/refModels.js';
import { MIB } from '../../src/units.js';

const models = refModelDir();
afterAll(models.cleanup);

describe('leakgate run on the reference engine', () => {
  it('writes every probe at every phase for every iteration and model', async () => {
    const a = await models.model('a');
    const b = await models.model('b', { sizeBytes: 10 * MIB });
    const out = join(models.dir, 'five.json');
    const { results } = await run({ models: [a, b], iterations: 5, out }, quietIO(models.dir));
    expect(results.status).toBe('complete');
    const file = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    const reread = fromResultsJson(file)!;
    expect(reread.records).toHaveLength(10);
    for (const record of reread.records) {
      for (const phase of PHASES) {
        const sample = record.phases[phase];
        expect(sample.rssBytes).toBeGreaterThan(0);
        expect(sample.rssAnonBytes).toBeGreaterThan(0);
        expect(sample.heapInUseBytes).toBeGreaterThan(0);
        expect(sample.threads).toBeGreaterThan(0);
        expect(sample.openFds).toBeGreaterThan(0);
      }
      // The model is mapped while loaded and unmapped after unload.
      expect(record.phases.afterLoad.modelMappings).toBeGreaterThan(0);
      expect(record.phases.afterUnload.modelMappings).toBe(0);
      // RssFile follows the mmapped model file; the heap grows by the model's planted heap.
      expect(record.phases.afterLoad.rssFileBytes - record.phases.beforeLoad.rssFileBytes).toBeGreaterThan(3 * MIB);
    }
    // The seed's fields are there for its readers.
    const first = (file.iterations as Record<string, Record<string, unknown>>[])[0]!;
    expect(first.model_a).toHaveProperty('net_leak_mb');
    expect(first).toHaveProperty('mem_baseline_mb');
    expect(file.summary).toHaveProperty('overall');
  });

  it('measures a planted 16 MiB per-load leak in heap in use, and none beside it', async () => {
    const clean = await models.model('clean');
    const leaky = await models.model('leaky', { leakPerLoadBytes: 16 * MIB });
    const { results } = await run({ models: [clean, leaky], iterations: 5, out: join(models.dir, 'leak.json') }, quietIO(models.dir));
    const [a, b] = summarizeRun(results).models;
    expect(b!.meanNetLeakBytes.heap! / (16 * MIB)).toBeGreaterThan(0.95);
    expect(b!.meanNetLeakBytes.heap! / (16 * MIB)).toBeLessThan(1.05);
    expect(Math.abs(a!.meanNetLeakBytes.heap!)).toBeLessThan(1 * MIB);
  });

  it('without --iterations, stops once the verdicts are decided and have held, and records why', async () => {
    const leaky = await models.model('leaky', { leakPerLoadBytes: 1 * MIB });
    const out = join(models.dir, 'until.json');
    const { results, gate } = await run({ models: [leaky], maxIterations: 40, out }, quietIO(models.dir));
    expect(results.stopping).toMatchObject({ rule: 'until-decided', maxIterations: 40, confirmIterations: 5 });
    expect(results.stopping!.reason).toMatch(/^decided after \d+ iterations: leaky leak$/);
    // The first leak verdict comes after 4 switches, then it must hold for 5 iterations: 8, or a few more after warm-up.
    expect(results.records.length).toBeGreaterThanOrEqual(8);
    expect(results.records.length).toBeLessThan(20);
    expect(results.iterationsPlanned).toBe(results.records.length);
    // Stopping when decided is a finished run, not an incomplete one: the gate fails on the leak alone.
    expect(gate.violations.map((v) => v.kind)).not.toContain('incomplete');
    expect((JSON.parse(readFileSync(out, 'utf8')) as { leakgate: { stopping: unknown } }).leakgate.stopping).toEqual(results.stopping);
  });

  it('with --iterations N, runs exactly N', async () => {
    const clean = await models.model('fixed');
    const { results } = await run({ models: [clean], iterations: 9, out: join(models.dir, 'fixed.json') }, quietIO(models.dir));
    expect(results.records).toHaveLength(9);
    expect(results.stopping).toEqual({ rule: 'fixed', maxIterations: 9, confirmIterations: null, reason: null });
  });

  it('times the first transcript character inside the callback', async () => {
    const slow = await models.model('slow', { ttftMs: 300, charMs: 10 });
    const { results } = await run({ models: [slow], iterations: 3, out: join(models.dir, 'ttft.json') }, quietIO(models.dir));
    for (const record of results.records) {
      // The engine sleeps 300 ms before its first chunk: TTFT cannot be less, and it is timed inside
      // the call, so it cannot be more than the call. (How close it comes is a figure for a bench.)
      expect(record.ttftMs).toBeGreaterThanOrEqual(300);
      expect(record.ttftMs).toBeLessThanOrEqual(record.inferMs);
      // 10 characters from the first chunk to the last, 9 gaps of at least 10 ms: at most 10 / 0.09 s = 111 chars/s.
      expect(record.charsPerSecond).toBeGreaterThan(0);
      expect(record.charsPerSecond).toBeLessThanOrEqual(111.2);
      expect(record.transcript).toBe('0900073331');
      expect(record.werPercent).toBe(0);
    }
  });

  it('keeps completed iterations when the engine aborts, and names where', async () => {
    const ok = await models.model('ok');
    const crashing = await models.model('crashing', { crash: { step: 'unload', iteration: 3, kind: 'abort' } });
    const out = join(models.dir, 'crash.json');
    const { results } = await run({ models: [ok, crashing], iterations: 5, out }, quietIO(models.dir));
    expect(results.status).toBe('failed');
    expect(results.failure).toMatchObject({ kind: 'crash', signal: 'SIGABRT', iteration: 3, step: 'unload', modelKey: 'model_crashing' });
    expect(results.failure!.message).toContain('engine aborted in chatllm_destroy (SIGABRT)');
    expect(results.failure!.message).toContain('model crashing, iteration 3, unload');
    const reread = fromResultsJson(JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>)!;
    expect(reread.status).toBe('failed');
    // Iterations 1-2 complete, plus the clean model's switch of iteration 3.
    expect(reread.records.map((r) => `${r.iteration}:${r.modelKey}`)).toEqual([
      '1:model_ok',
      '1:model_crashing',
      '2:model_ok',
      '2:model_crashing',
      '3:model_ok',
    ]);
  });

  it('kills a hung engine at the phase timeout and says so', async () => {
    const hanging = await models.model('hanging', { hang: { step: 'infer', iteration: 2 } });
    const { results } = await run(
      { models: [hanging], iterations: 3, out: join(models.dir, 'hang.json'), timeoutScale: 0.02 },
      quietIO(models.dir),
    );
    expect(results.failure).toMatchObject({ kind: 'hang', iteration: 2, step: 'infer' });
    expect(results.failure!.message).toContain('engine hung in chatllm_user_input');
    expect(results.records).toHaveLength(1);
  });

  it('appends each switch to the journal, not to the results file, then folds it into the file and removes it', async () => {
    const model = await models.model('journalled');
    const out = join(models.dir, 'journalled.json');
    const journal = journalPathOf(out);
    writeFileSync(journal, 'left by a killed run\n');
    // With a TTY the progress line is rewritten after each switch is journalled: look at the files then.
    const seen: { journalLines: number; resultsFile: boolean }[] = [];
    const io = { ...quietIO(models.dir), tty: true };
    io.write = (text: string) => {
      if (text.startsWith('\r'))
        seen.push({ journalLines: readFileSync(journal, 'utf8').trim().split('\n').length, resultsFile: existsSync(out) });
    };
    const { results } = await run({ models: [model], iterations: 4, out }, io);
    expect(results.status).toBe('complete');
    // The header and one line per switch; the stale line replaced at the first switch.
    expect(seen).toEqual([1, 2, 3, 4].map((switches) => ({ journalLines: switches + 1, resultsFile: false })));
    expect(existsSync(journal)).toBe(false);
    const reread = fromResultsJson(JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>)!;
    expect(reread.status).toBe('complete');
    expect(reread.records).toHaveLength(4);
  });

  it('a run that fails before its first switch leaves an earlier results file, and journal, byte for byte', async () => {
    const model = await models.model('never-measured');
    const out = join(models.dir, 'earlier.json');
    const notALibrary = join(models.dir, 'not-a-library.so');
    writeFileSync(notALibrary, 'not an ELF file\n');
    await run({ models: [model], iterations: 2, out }, quietIO(models.dir));
    writeFileSync(journalPathOf(out), "a killed run's journal\n");
    const earlier = readFileSync(out);
    await expect(run({ models: [model], iterations: 2, out, lib: notALibrary }, quietIO(models.dir))).rejects.toThrow(
      'as a shared library',
    );
    expect(readFileSync(out).equals(earlier)).toBe(true);
    expect(readFileSync(journalPathOf(out), 'utf8')).toBe("a killed run's journal\n");
  });

  it("a run stopped before its first switch saves nothing: an earlier results file and a killed run's journal stay", async () => {
    const model = await models.model('stopped-early');
    const out = join(models.dir, 'stopped-early.json');
    await run({ models: [model], iterations: 2, out }, quietIO(models.dir));
    writeFileSync(journalPathOf(out), "a killed run's journal\n");
    const earlier = readFileSync(out);
    for (const reason of ['SIGINT', 'SIGTERM']) {
      const io = { ...quietIO(models.dir), signal: AbortSignal.abort(reason) };
      const outcome = await run({ models: [model], iterations: 2, out }, io);
      expect(outcome.results.failure?.kind).toBe(reason === 'SIGINT' ? 'interrupted' : 'terminated');
      expect(outcome.results.records).toHaveLength(0);
      expect(readFileSync(out).equals(earlier)).toBe(true);
      expect(readFileSync(journalPathOf(out), 'utf8')).toBe("a killed run's journal\n");
      expect(io.output.join('\n')).toContain(`Nothing measured, so nothing saved (${out} left as it was)`);
    }
  });

  it("baseline update stopped by a signal writes no baseline, even with --accept, and ends with the signal's exit code", async () => {
    const model = await models.model('stopped-update');
    const baseline = join(models.dir, 'stopped-baseline.json');
    for (const [reason, exitCode] of [
      ['SIGINT', ExitCode.interrupted],
      ['SIGTERM', ExitCode.terminated],
    ] as const) {
      const io = { ...quietIO(models.dir), signal: AbortSignal.abort(reason) };
      const update = updateBaseline(
        {
          models: [model],
          iterations: 2,
          out: join(models.dir, 'stopped-update.json'),
          baseline,
          accept: 'known',
          acceptFailure: null,
          acceptedBy: 'ci',
        },
        io,
      );
      await expect(update).rejects.toMatchObject({ exitCode, message: expect.stringMatching(/^baseline not written \(.*\): /) });
      expect(existsSync(baseline)).toBe(false);
    }
  });
});
