import { describe, expect, it } from 'vitest';
import { judgeRun } from '../../../src/analysis/judgeRun.js';
import type { ModelSeries } from '../../../src/analysis/Signal.js';
import { mulberry32 } from './fixtures/mulberry32.js';
import { MIB } from '../../../src/units.js';
import { seed17bRssAfterUnloadBytes } from './fixtures/seedRssClimb.js';

const series = (modelKey: string, heapAfterUnload: number[]): ModelSeries => ({
  modelKey,
  label: modelKey,
  afterUnloadBytes: { heapInUse: heapAfterUnload },
  beforeLoadBytes: {},
});
const flat = series(
  'flat',
  Array.from({ length: 12 }, () => 50 * MIB),
);
const plateau = series(
  'plateau',
  Array.from({ length: 12 }, (_, i) => 50 * MIB + Math.min(i, 4) * 8 * MIB),
);
const leak = series(
  'leak',
  Array.from({ length: 12 }, (_, i) => 50 * MIB + i * MIB),
);
const short = series('short', [50 * MIB, 50 * MIB, 50 * MIB]);

describe('judgeRun', () => {
  it('is leak when any model leaks', () => {
    const run = judgeRun([flat, plateau, leak]);
    expect(run.verdict).toBe('leak');
    expect(run.models.map((m) => m.verdict)).toEqual(['clean', 'plateau', 'leak']);
  });
  it('is plateau when no model leaks but one plateaus', () => {
    expect(judgeRun([flat, plateau]).verdict).toBe('plateau');
  });
  it('is clean when every model is clean, and undecided when a model was judged on too few switches', () => {
    expect(judgeRun([flat])).toMatchObject({ verdict: 'clean', insufficientData: false });
    expect(judgeRun([flat, short])).toMatchObject({ verdict: 'undecided', insufficientData: true });
  });
  it('is undecided, never clean, for a run with no models', () => {
    expect(judgeRun([])).toEqual({ verdict: 'undecided', insufficientData: true, models: [], process: null, counts: [] });
  });
  it('calls nothing clean in a run that stopped early, but keeps a leak it saw', () => {
    const run = judgeRun([flat, leak], { stoppedEarly: 'engine aborted in chatllm_destroy' });
    expect(run.models.map((m) => m.verdict)).toEqual(['undecided', 'leak']);
    expect(run.models[0]!.explanations[0]).toMatch(
      /undecided, the run stopped early \(engine aborted in chatllm_destroy\): clean so far, not proven/,
    );
    expect(run.verdict).toBe('leak');
  });
});

const mb = (values: number[]) => values.map((v) => v * MIB);
const rssModel = (key: string, values: number[]): ModelSeries => ({
  modelKey: key,
  label: key,
  afterUnloadBytes: { rss: values },
  beforeLoadBytes: {},
});

describe('judgeRun: the whole process', () => {
  it('calls a steady climb a leak at run level even when the models cannot be told apart', () => {
    // 36 MiB → 2.1 GiB over 10 iterations in irregular steps (0.2–1.8 × 206 MiB), no levelling off
    const pattern = [1.8, 0.2, 1.5, 0.6, 1.1, 0.3, 1.7, 0.9, 1.4, 0.5];
    const process = [36];
    for (const f of pattern) process.push(process.at(-1)! + f * 206);
    const flatModel = Array.from({ length: 10 }, () => 40 * MIB);
    const run = judgeRun([rssModel('0.6B', flatModel), rssModel('1.7B', flatModel)], { process: { rss: mb(process) } });
    expect(run.process).toMatchObject({ verdict: 'leak', decidedBy: 'rss' });
    expect(run.process!.explanations[0]).toMatch(
      /^the process keeps \d+\.\d MiB of RSS per iteration; 0\.6B and 1\.7B cannot be separated on RSS alone$/,
    );
    expect(run.verdict).toBe('leak');
  });

  it("does not call the seed users' published plateau a leak (738 → 4219 MB over 10 iterations, then 3900 ± 97 MB)", () => {
    const random = mulberry32(7);
    const warmup = Array.from({ length: 10 }, (_, i) => 738 + ((4219 - 738) * (i + 1)) / 10);
    const level = Array.from({ length: 20 }, () => 3900 + (random() * 2 - 1) * 168); // uniform ±168: σ ≈ 97
    const models = [rssModel('0.6B', mb([738, ...warmup, ...level])), rssModel('1.7B', mb([738, ...warmup, ...level]))];
    const run = judgeRun(models, { process: { rss: mb([738, ...warmup, ...level]) } });
    expect(run.process!.verdict).not.toBe('leak');
    expect(run.models.map((m) => m.verdict)).not.toContain('leak');
  });

  it('calls a flat process clean', () => {
    const random = mulberry32(11);
    const level = Array.from({ length: 12 }, () => 400 + (random() * 2 - 1) * 2);
    const run = judgeRun([rssModel('a', mb(level)), rssModel('b', mb(level))], { process: { rss: mb(level) } });
    expect(run.process!.verdict).toBe('clean');
    expect(run.verdict).toBe('clean');
  });

  it('is not judged for a run of one model (its series is the process)', () => {
    expect(judgeRun([leak], { process: { heapInUse: leak.afterUnloadBytes.heapInUse } }).process).toBeNull();
  });
});

describe('judgeProcess needs evidence for clean too', () => {
  const rssOnly = (modelKey: string, values: number[]): ModelSeries => ({
    modelKey,
    label: modelKey,
    afterUnloadBytes: { rss: values.slice(1) },
    beforeLoadBytes: { rss: [values[0]!] },
  });
  it("never calls the seed's process climb (irregular, +2 GiB over 10 iterations, RSS only) clean", () => {
    // the process level per iteration: the seed's 1.7B steps on top of a flat 0.6B
    const levels = seed17bRssAfterUnloadBytes().map((v) => v + 50 * MIB);
    const run = judgeRun(
      [
        rssOnly(
          'a',
          levels.map(() => 800 * MIB),
        ),
        rssOnly('b', seed17bRssAfterUnloadBytes()),
      ],
      { process: { rss: levels } },
    );
    expect(run.process!.verdict).toBe('undecided');
    expect(run.process!.evidence[0]!.moreSwitchesNeeded).toBeGreaterThan(0);
    expect(run.process!.explanations[0]).toMatch(/^process rss: undecided, 193\.9 MiB\/iteration .* \(run at least \d+ more iterations\)$/);
    expect(run.verdict).toBe('undecided');
  });
  it('calls a flat process clean', () => {
    const run = judgeRun([flat, flat], { process: { heapInUse: Array.from({ length: 11 }, () => 100 * MIB) } });
    expect(run.process!.verdict).toBe('clean');
  });
});
