import { describe, expect, it } from 'vitest';
import { compareFailures, compareRuns } from '../../../src/compare/compareRuns.js';
import { acceptFailure } from '../../../src/gate/acceptFailure.js';
import { analyzeResults } from '../../../src/analysis/analyzeResults.js';
import type { RunFailure, RunResults } from '../../../src/results/RunResults.js';
import { syntheticRun, type SyntheticModel } from '../report/fixtures/syntheticRun.js';
import { KIB, MIB } from '../../../src/units.js';

const side = (results: RunResults) => ({ results, analysis: analyzeResults(results) });
const model = (netBytes: (k: number) => number): SyntheticModel => ({ key: 'model_06b', label: '0.6B', netBytes });
const abort = (step: 'unload' | 'infer'): RunFailure => ({
  kind: 'crash',
  modelKey: 'model_06b',
  iteration: 2,
  step,
  signal: 'SIGABRT',
  timeoutMs: null,
  message: `engine aborted in ${step === 'unload' ? 'chatllm_destroy' : 'chatllm_user_input'} (SIGABRT) — model 0.6B, iteration 2, ${step}`,
});

describe('compareFailures', () => {
  const cases: [string, RunFailure | null, RunFailure | null, string][] = [
    ['neither fails', null, null, 'none'],
    ['base aborts, head completes', abort('unload'), null, 'fixed'],
    ['head aborts, base completes', null, abort('unload'), 'new'],
    [
      'both abort at destroy (another iteration in head)',
      abort('unload'),
      { ...abort('unload'), iteration: 5, message: abort('unload').message.replace('iteration 2', 'iteration 5') },
      'same',
    ],
    ['base at destroy, head at inference', abort('unload'), abort('infer'), 'different'],
  ];
  for (const [name, base, head, change] of cases) it(`${name}: ${change}`, () => expect(compareFailures(base, head).change).toBe(change));
});

describe('compareRuns on synthetic runs (heap deltas exact, so intervals are narrow)', () => {
  it('head keeping 256 KiB more per switch fails on leakBytesPerSwitch with a difference of +256 KiB', () => {
    const outcome = compareRuns(side(syntheticRun([model(() => 0)], 10)), side(syntheticRun([model(() => 256 * KIB)], 10)));
    const row = outcome.rows.find((r) => r.metric === 'leakBytesPerSwitch')!;
    expect(row.interval).toEqual({ estimate: 256 * KIB, low: 256 * KIB, high: 256 * KIB });
    expect(row.status).toBe('fail');
    expect(row.switches).toEqual({ base: 9, head: 9 }); // the first switch is warm-up
    expect(outcome.passed).toBe(false);
    // the verdict first (head leaks, base does not), then the interval, allowed the heap's 4 KiB floor
    // (no longer a fixed 64 KiB allowance)
    expect(outcome.violations).toEqual([
      '0.6B: head leaks where base does not: heap in use +256.0 KiB/switch (95 % CI +256.0 KiB to +256.0 KiB) against base clean ' +
        '(heap in use +0 B/switch (95 % CI +0 B to +0 B)); difference +256.0 KiB/switch (95 % CI +256.0 KiB to +256.0 KiB)',
      '0.6B leakBytesPerSwitch: head leaks +256.0 KiB/switch more than base (95% CI +256.0 KiB to +256.0 KiB), allowed +4.0 KiB',
    ]);
  });

  it('head leaking a few KiB per switch more fails, naming model, signal and difference (the 64 KiB allowance is gone)', () => {
    const outcome = compareRuns(side(syntheticRun([model(() => 0)], 10)), side(syntheticRun([model(() => 16 * KIB)], 10)));
    expect(outcome.passed).toBe(false);
    expect(outcome.violations[0]).toMatch(
      /^0\.6B: head leaks where base does not: heap in use \+16\.0 KiB\/switch .* difference \+16\.0 KiB\/switch/,
    );
    expect(outcome.rows.find((r) => r.metric === 'leakBytesPerSwitch')).toMatchObject({ status: 'fail', tolerance: 4 * KIB });
  });

  it("a difference within the signal's noise floor passes; an allowance set on purpose raises it", () => {
    // 2 KiB/switch more: below the heap's 4 KiB floor, a difference the measurement cannot resolve
    expect(compareRuns(side(syntheticRun([model(() => 0)], 10)), side(syntheticRun([model(() => 2 * KIB)], 10))).passed).toBe(true);
    const leaky = side(syntheticRun([model(() => 16 * KIB)], 10));
    const both = compareRuns(side(syntheticRun([model(() => 16 * KIB)], 10)), leaky);
    expect(both.passed).toBe(true); // the same leak on both sides is no regression
    const allowed = compareRuns(side(syntheticRun([model(() => 8 * KIB)], 10)), side(syntheticRun([model(() => 24 * KIB)], 10)), {
      leakAllowanceBytesPerSwitch: 32 * KIB,
    });
    expect(allowed.rows.find((r) => r.metric === 'leakBytesPerSwitch')).toMatchObject({ status: 'pass', tolerance: 32 * KIB });
    expect(allowed.passed).toBe(true);
  });

  it('a side with no switch measured is never a pass, and says why', () => {
    const empty = (): RunResults => ({
      ...syntheticRun([model(() => 0)], 10),
      records: [],
      failure: { ...abort('unload'), iteration: 1, message: 'engine aborted in chatllm_start (SIGKILL) — model 0.6B, iteration 1, load' },
    });
    const outcome = compareRuns(side(empty()), side(empty()));
    expect(outcome.passed).toBe(false);
    expect(outcome.violations.slice(0, 2)).toEqual([
      'base measured no switch (engine aborted in chatllm_start (SIGKILL) — model 0.6B, iteration 1, load): nothing was ' +
        'compared, which is no pass',
      'head measured no switch (engine aborted in chatllm_start (SIGKILL) — model 0.6B, iteration 1, load): nothing was ' +
        'compared, which is no pass',
    ]);
    const noFailure = compareRuns(side({ ...syntheticRun([model(() => 0)], 10), records: [] }), side(syntheticRun([model(() => 0)], 10)));
    expect(noFailure.violations).toEqual([
      'base measured no switch (the run ended before its first switch): nothing was compared, which is no pass',
    ]);
  });

  it('both sides failing the same way fails, unless the baseline accepts that failure', () => {
    const failing = (): RunResults => ({ ...syntheticRun([model(() => 0)], 10), failure: abort('unload') });
    const outcome = compareRuns(side(failing()), side(failing()));
    expect(outcome.failureChange.change).toBe('same');
    expect(outcome.violations).toEqual([
      'both fail the same way and no baseline accepts it: engine aborted in chatllm_destroy (SIGABRT) — model 0.6B, iteration 2, unload' +
        ' — what neither side measured past the failure is not compared (fix it, or accept it as a known failure in the baseline)',
    ]);
    const accepted = acceptFailure(abort('unload'), 'upstream PR #111 open', 'test');
    expect(compareRuns(side(failing()), side(failing()), { acceptedFailure: accepted }).passed).toBe(true);
    const other = acceptFailure(abort('infer'), 'another', 'test');
    expect(compareRuns(side(failing()), side(failing()), { acceptedFailure: other }).violations[0]).toMatch(
      /no baseline accepts it: .*\(the accepted failure is engine aborted in chatllm_user_input \(SIGABRT\) at infer\)/,
    );
  });

  it('head leaking only on its first switch (a one-off set-up) passes', () => {
    const outcome = compareRuns(side(syntheticRun([model(() => 0)], 10)), side(syntheticRun([model((k) => (k === 1 ? 8 * MIB : 0))], 10)));
    expect(outcome.passed).toBe(true);
  });

  it('a head that failed where base did not lists that first, before metric failures', () => {
    const head = syntheticRun([model(() => 256 * KIB)], 10);
    head.failure = abort('unload');
    const outcome = compareRuns(side(syntheticRun([model(() => 0)], 10)), side(head));
    expect(outcome.violations[0]).toMatch(/^head fails where base does not: engine aborted in chatllm_destroy/);
    expect(outcome.violations).toHaveLength(3); // the failure, the new leak verdict, the leak interval
  });

  it('a ttft 30 % slower in every switch fails on the ratio; identical runs pass every metric', () => {
    const base = syntheticRun([model(() => 0)], 10);
    const slow = syntheticRun([model(() => 0)], 10);
    for (const r of slow.records) r.ttftMs = r.ttftMs! * 1.3;
    const failing = compareRuns(side(base), side(slow))
      .rows.filter((r) => r.status === 'fail')
      .map((r) => r.metric);
    expect(failing).toEqual(['ttftMs']);
    expect(compareRuns(side(base), side(syntheticRun([model(() => 0)], 10))).rows.every((r) => r.status === 'pass')).toBe(true);
  });
});

describe('compareJobSummary', () => {
  it('leads with the result and the failure change, then the comparison table, then the verdicts', async () => {
    const { compareJobSummary } = await import('../../../src/report/formatCompare.js');
    const head = syntheticRun([model(() => 256 * 1024)], 10);
    head.failure = abort('unload');
    const text = compareJobSummary(compareRuns(side(syntheticRun([model(() => 0)], 10)), side(head)));
    const at = (fragment: string): number => text.indexOf(fragment);
    expect(text.startsWith('## leakgate compare: ❌ FAIL')).toBe(true);
    expect(at('**Failures:** head fails where base does not')).toBeGreaterThan(0);
    expect(at('| 0.6B | leakBytesPerSwitch | 0 B/sw | 256.0 KiB/sw | +256.0 KiB |')).toBeGreaterThan(at('**Failures:**'));
    expect(at('| model | base verdict | head verdict |')).toBeGreaterThan(at('| 0.6B | leakBytesPerSwitch'));
  });
});

describe('compareRuns: unload findings (compare runs past them)', () => {
  it('head leaving an fd behind where base does not fails, naming the kind; the same on both sides does not', () => {
    const leaky = syntheticRun([model(() => 0)], 6);
    // One more fd open after every unload: the count climbs by one per switch.
    leaky.records.forEach((r, i) => {
      r.phases.beforeLoad = { ...r.phases.beforeLoad, openFds: 20 + i };
      r.phases.afterUnload = { ...r.phases.afterUnload, openFds: 21 + i };
    });
    const outcome = compareRuns(side(syntheticRun([model(() => 0)], 6)), side(leaky));
    expect(outcome.unloadChanges).toEqual([expect.objectContaining({ kind: 'fd', base: 0, head: 6 })]);
    expect(outcome.violations[0]).toMatch(/^head leaves an fd behind where base does not \(6 over the run\): fd leak: \+1\.0 fd\/switch/);
    expect(compareRuns(side(leaky), side(leaky)).passed).toBe(true);
  });
});

describe('compare with too few switches for the leak interval', () => {
  it('is no pass, even when head leaks 4 MiB per switch and every verdict is undecided', () => {
    for (const iterations of [1, 2]) {
      const outcome = compareRuns(side(syntheticRun([model(() => 0)], iterations)), side(syntheticRun([model(() => 4 * MIB)], iterations)));
      expect(outcome.passed).toBe(false);
      expect(outcome.violations).toContainEqual(expect.stringMatching(/^0\.6B: the leak per switch was not compared \(base \d, head \d /));
    }
  });

  it('compares from three switches on (the control)', () => {
    const outcome = compareRuns(side(syntheticRun([model(() => 0)], 3)), side(syntheticRun([model(() => 0)], 3)));
    expect(outcome.violations.filter((v) => v.includes('was not compared'))).toEqual([]);
  });
});
