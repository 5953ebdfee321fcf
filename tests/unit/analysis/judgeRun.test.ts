import { describe, expect, it } from 'vitest';
import { judgeRun } from '../../../src/analysis/judgeRun.js';
import type { ModelSeries } from '../../../src/analysis/Signal.js';

const MiB = 1024 * 1024;
const series = (modelKey: string, heapAfterUnload: number[]): ModelSeries => ({
  modelKey,
  label: modelKey,
  afterUnloadBytes: { heapInUse: heapAfterUnload },
  beforeLoadBytes: {},
});
const flat = series('flat', Array.from({ length: 12 }, () => 50 * MiB));
const plateau = series('plateau', Array.from({ length: 12 }, (_, i) => 50 * MiB + Math.min(i, 4) * 8 * MiB));
const leak = series('leak', Array.from({ length: 12 }, (_, i) => 50 * MiB + i * MiB));
const short = series('short', [50 * MiB, 50 * MiB, 50 * MiB]);

describe('judgeRun', () => {
  it('is leak when any model leaks', () => {
    const run = judgeRun([flat, plateau, leak]);
    expect(run.verdict).toBe('leak');
    expect(run.models.map((m) => m.verdict)).toEqual(['clean', 'plateau', 'leak']);
  });
  it('is plateau when no model leaks but one plateaus', () => {
    expect(judgeRun([flat, plateau]).verdict).toBe('plateau');
  });
  it('is clean when every model is clean, and flags models judged on too few switches', () => {
    expect(judgeRun([flat])).toMatchObject({ verdict: 'clean', insufficientData: false });
    expect(judgeRun([flat, short])).toMatchObject({ verdict: 'clean', insufficientData: true });
  });
  it('is clean for a run with no models', () => {
    expect(judgeRun([])).toEqual({ verdict: 'clean', insufficientData: false, models: [] });
  });
});
