import { describe, expect, it } from 'vitest';
import { formatSwitchTime } from '../../../src/report/formatSwitchTime.js';
import type { ModelIteration } from '../../../src/results/RunResults.js';

const record = (loadMs: number, inferMs: number, unloadMs: number): ModelIteration => ({ loadMs, inferMs, unloadMs }) as ModelIteration;

describe('formatSwitchTime', () => {
  it("splits the wall time per switch into load, transcribe, unload and leakgate's own share", () => {
    // 10 s over 2 switches: engine calls 1+3+0.5 and 2+1+0.5 s, so leakgate 2 s.
    const text = formatSwitchTime({
      records: [record(1000, 3000, 500), record(2000, 1000, 500)],
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:10.000Z',
      failure: null,
    });
    expect(text).toBe(
      'Time per switch: 5.00 s over 2 switches = load 1.50 s (30 %) + transcribe 2.00 s (40 %) + unload 0.50 s (10 %) + leakgate 1.00 s ' +
        '(20 %) (probes, journal, worker start, verdicts)',
    );
  });
  it('is null for a run with no switch or no end', () => {
    expect(
      formatSwitchTime({ records: [], startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:10.000Z', failure: null }),
    ).toBeNull();
    expect(
      formatSwitchTime({ records: [record(1, 1, 1)], startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null, failure: null }),
    ).toBeNull();
  });
  it("counts a failed switch (it has no record) in leakgate's share, saying so", () => {
    const failure = { kind: 'hang', modelKey: 'm', iteration: 2, step: 'infer', signal: null, timeoutMs: 5000, message: 'hung' } as const;
    const text = formatSwitchTime({
      records: [record(1000, 1000, 0)],
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:10.000Z',
      failure,
    });
    expect(text).toMatch(/leakgate 8\.00 s \(80 %\) \(probes, journal, worker start, verdicts, and the switch that failed\)$/);
  });
});
