/**
 * An accepted leak holds only while its deciding signal grows no faster than the baseline measured:
 * with the ledger that signal is the engine heap, which the gate compares like heap in use.
 */
import { describe, expect, it } from 'vitest';
import { analyzeResults } from '../../../src/analysis/analyzeResults.js';
import { buildBaseline } from '../../../src/gate/buildBaseline.js';
import { evaluateGate, judgedVerdicts } from '../../../src/gate/evaluateGate.js';
import type { Analysis } from '../../../src/analysis/analyzeResults.js';
import type { SignalEvidence } from '../../../src/analysis/SignalEvidence.js';
import type { RunResults } from '../../../src/results/RunResults.js';
import { KIB, MIB } from '../../../src/units.js';
import { syntheticRun } from '../report/fixtures/syntheticRun.js';

/** A run whose heap in use is flat and whose engine heap keeps `bytesPerSwitch` at every unload, of each model. */
function engineLeak(bytesPerSwitch: number, modelKeys = ['m']): RunResults {
  const results = syntheticRun(
    modelKeys.map((key) => ({ key, label: key, netBytes: () => 0 })),
    12,
  );
  results.records.forEach((record, i) => {
    const level = MIB + bytesPerSwitch * i;
    record.phases.beforeLoad.engineHeapBytes = level;
    record.phases.afterLoad.engineHeapBytes = level + 5 * MIB;
    record.phases.afterInfer.engineHeapBytes = level + 6 * MIB;
    record.phases.afterUnload.engineHeapBytes = level + bytesPerSwitch;
  });
  return results;
}

const accept = (results: RunResults) => buildBaseline(results, analyzeResults(results), { reason: 'upstream, known', at: '2026-12-07' });
const gate = (results: RunResults, baseline: ReturnType<typeof accept>) =>
  evaluateGate(results, analyzeResults(results), baseline, 'b.json');

describe('an accepted engine-heap leak', () => {
  const baseline = accept(engineLeak(128));

  it('is decided by the engine heap and recorded with its rate', () => {
    expect(analyzeResults(engineLeak(128)).judgement.models[0]).toMatchObject({ verdict: 'leak', decidedBy: 'engineHeap' });
    expect(baseline.metrics['m/leakBytesPerSwitch.engineHeap']).toBe(128);
  });

  it('passes at the accepted rate, saying which leak it accepted and why it holds', () => {
    const outcome = gate(engineLeak(128), baseline);
    expect(outcome.passed).toBe(true);
    expect(outcome.acceptances).toEqual([
      'm leak: accepted in the baseline (upstream, known), leakBytesPerSwitch.engineHeap 128.00 within 128.00',
    ]);
  });

  it('fails when it grows faster than accepted, naming the accepted leak', () => {
    const outcome = gate(engineLeak(60 * KIB), baseline);
    expect(outcome.passed).toBe(false);
    expect(outcome.violations.map((v) => v.message).join('\n')).toMatch(/^m leaks: .* — more than the accepted baseline leak$/m);
  });

  it('fails against a baseline with no engine-heap figure to hold it to, saying how to record one', () => {
    const { 'm/leakBytesPerSwitch.engineHeap': _dropped, ...metrics } = baseline.metrics;
    const outcome = gate(engineLeak(128), { ...baseline, metrics });
    expect(outcome.passed).toBe(false);
    expect(outcome.violations.map((v) => v.message).join('\n')).toContain(
      'accepted, but the baseline has no leakBytesPerSwitch.engineHeap to hold it to (npx leakgate baseline update --accept "REASON"',
    );
  });
});

describe('an accepted leak of two models and the process', () => {
  const both = ['a', 'b'];
  const baseline = accept(engineLeak(128, both));

  it('passes at the accepted rate, the process held to its own per-iteration figure', () => {
    expect(baseline.verdicts).toMatchObject({ a: 'leak', b: 'leak', process: 'leak' });
    expect(baseline.metrics['run/leakBytesPerIteration.engineHeap']).toBe(256);
    expect(gate(engineLeak(128, both), baseline).passed).toBe(true);
  });

  it('fails, the process too, when it grows faster than accepted', () => {
    const messages = gate(engineLeak(60 * KIB, both), baseline).violations.map((v) => v.message);
    expect(messages.filter((m) => m.endsWith('— more than the accepted baseline leak')).map((m) => m.split(' ')[0])).toEqual([
      'a',
      'b',
      'process',
    ]);
  });
});

/** A clean run whose every unload leaves `fdsPerSwitch` more open fds. */
function fdLeak(fdsPerSwitch: number): RunResults {
  const results = syntheticRun([{ key: 'm', label: 'm', netBytes: () => 0 }], 12);
  results.records.forEach((record, i) => {
    for (const phase of ['beforeLoad', 'afterLoad', 'afterInfer'] as const) record.phases[phase].openFds = 20 + fdsPerSwitch * i;
    record.phases.afterUnload.openFds = 20 + fdsPerSwitch * (i + 1);
  });
  return results;
}

describe('an accepted fd leak', () => {
  const baseline = accept(fdLeak(1));

  it('is recorded as a count per switch, and passes at that rate', () => {
    expect(baseline.verdicts['m/fd']).toBe('leak');
    expect(baseline.metrics['m/leakCountPerSwitch.fd']).toBe(1);
    expect(gate(fdLeak(1), baseline).passed).toBe(true);
  });

  it('fails at three fds per switch', () => {
    const outcome = gate(fdLeak(3), baseline);
    expect(outcome.passed).toBe(false);
    expect(outcome.violations.find((v) => v.kind === 'count')!.message).toMatch(/— more than the accepted baseline leak$/);
  });
});

describe('a leak figure the baseline holds and the run did not measure', () => {
  const baseline = accept(engineLeak(0));

  it('is no pass: a run without the allocation ledger is not held to the engine heap', () => {
    const withoutLedger = syntheticRun([{ key: 'm', label: 'm', netBytes: () => 0 }], 12);
    const outcome = gate(withoutLedger, baseline);
    expect(outcome.passed).toBe(false);
    expect(outcome.violations.map((v) => v.message)).toContainEqual(
      expect.stringMatching(/^m leakBytesPerSwitch\.engineHeap was not measured by this run, and the baseline holds it \(0\.00\)/),
    );
  });

  it('passes with the ledger on (the control)', () => {
    expect(gate(engineLeak(0), baseline).passed).toBe(true);
  });
});

describe('the process verdict in the gate', () => {
  it('carries the evidence of the signal that decided it, not the first one measured', () => {
    const evidence = [
      { signal: 'engineHeap', verdict: 'clean', slopeBytesPerSwitch: 0 },
      { signal: 'outsideMalloc', verdict: 'leak', slopeBytesPerSwitch: MIB },
    ] as SignalEvidence[];
    const judgement = { models: [], counts: [], process: { verdict: 'leak', decidedBy: 'outsideMalloc', evidence, explanations: ['x'] } };
    const [process] = judgedVerdicts({ judgement } as unknown as Analysis);
    expect(process!.evidence).toBe(evidence[1]);
  });
});
