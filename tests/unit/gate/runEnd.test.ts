/**
 * The gate never passes what it has not judged: every way a run can end, through evaluateGate, the
 * exit codes of `run` and `gate`, and the vitest matchers. Control: a complete clean run passes.
 */
import { describe, expect, it } from 'vitest';
import { gateExitCode, runExitCode } from '../../../src/cli/runExitCode.js';
import { ExitCode } from '../../../src/errors.js';
import { analyzeResults } from '../../../src/analysis/analyzeResults.js';
import type { Baseline } from '../../../src/gate/Baseline.js';
import { buildBaseline } from '../../../src/gate/buildBaseline.js';
import { evaluateGate } from '../../../src/gate/evaluateGate.js';
import type { RunFailure, RunResults } from '../../../src/results/RunResults.js';
import '../../../src/vitest/matchers.js';
import { cleanModel, syntheticRun } from '../report/fixtures/syntheticRun.js';

const ITERATIONS = 12;

function ended(change: (results: RunResults) => void): RunResults {
  const results = syntheticRun([cleanModel()], ITERATIONS);
  change(results);
  return results;
}

const failure = (kind: RunFailure['kind'], signal: string | null = null): RunFailure => ({
  kind,
  modelKey: 'model_clean',
  iteration: 4,
  step: 'infer',
  signal,
  timeoutMs: null,
  message: `${kind} during iteration 4`,
});

/** The run judged against a baseline measured from a complete clean run (what `baseline update` writes). */
const cleanBaseline = (() => {
  const results = syntheticRun([cleanModel()], ITERATIONS);
  return buildBaseline(results, analyzeResults(results), null);
})();

const judged = (results: RunResults, baseline: Baseline | null = cleanBaseline) => {
  const analysis = analyzeResults(results);
  const gate = evaluateGate(results, analysis, baseline, 'baselines/clean.json');
  return { results, analysis, gate, baselineFile: 'baselines/clean.json' };
};

describe('how a run ended decides whether the gate may pass', () => {
  it('a complete clean run passes (the control): exit 0 from run and gate, and the matchers pass', () => {
    const outcome = judged(ended(() => undefined));
    expect(outcome.gate.passed).toBe(true);
    expect(runExitCode(outcome.results, outcome.gate)).toBe(ExitCode.ok);
    expect(gateExitCode(outcome.results, outcome.gate)).toBe(ExitCode.ok);
    expect(outcome).toHaveNoLeak();
    expect(outcome).toPassGate();
  });

  it('the same clean run with no baseline does not pass the gate matcher, and says which file is missing', () => {
    const outcome = judged(
      ended(() => undefined),
      null,
    );
    expect(outcome).toHaveNoLeak();
    expect(() => expect(outcome).toPassGate()).toThrow(
      /no baseline at baselines\/clean\.json to gate on: measure one with npx leakgate baseline update/,
    );
  });

  it('an until-decided run whose verdicts held for the 5 iterations that confirm them passes (the control)', () => {
    const outcome = judged(
      ended((r) => {
        r.stopping = { rule: 'until-decided', maxIterations: ITERATIONS, confirmIterations: 5, reason: 'decided', heldIterations: 5 };
      }),
    );
    expect(outcome.gate.violations).toEqual([]);
    expect(outcome).toPassGate();
  });

  const rows: [string, (results: RunResults) => void, string, number, number][] = [
    [
      'still marked running (its process was killed)',
      (r) => {
        r.status = 'running';
        r.finishedAt = null;
        r.records = r.records.slice(0, 3);
      },
      'did not finish (status running, 3 of 12',
      ExitCode.gateFailed,
      ExitCode.gateFailed,
    ],
    [
      'marked complete with fewer iterations than planned',
      (r) => {
        r.records = r.records.slice(0, 5);
      },
      'holds 5 of 12 planned iterations',
      ExitCode.gateFailed,
      ExitCode.gateFailed,
    ],
    [
      'interrupted (SIGINT)',
      (r) => {
        r.status = 'failed';
        r.failure = failure('interrupted', 'SIGINT');
      },
      'interrupted during iteration 4',
      ExitCode.interrupted,
      ExitCode.gateFailed,
    ],
    [
      'terminated by SIGTERM',
      (r) => {
        r.status = 'failed';
        r.failure = failure('terminated', 'SIGTERM');
      },
      'terminated during iteration 4',
      ExitCode.terminated,
      ExitCode.gateFailed,
    ],
    [
      'terminated by SIGHUP',
      (r) => {
        r.status = 'failed';
        r.failure = failure('terminated', 'SIGHUP');
      },
      'terminated during iteration 4',
      ExitCode.hangup,
      ExitCode.gateFailed,
    ],
    [
      'stopped by a results write that failed (disk full)',
      (r) => {
        r.status = 'failed';
        r.failure = failure('write-failed');
      },
      'write-failed during iteration 4',
      ExitCode.environment,
      ExitCode.gateFailed,
    ],
    [
      'worker killed by the OOM killer',
      (r) => {
        r.status = 'failed';
        r.failure = failure('out-of-memory', 'SIGKILL');
      },
      'out-of-memory during iteration 4',
      ExitCode.environment,
      ExitCode.gateFailed,
    ],
    [
      // A verdict that flipped (say from leak) in the last iterations before the cap is not yet evidence.
      'stopped at its maximum before its decided verdicts held (until decided)',
      (r) => {
        r.stopping = {
          rule: 'until-decided',
          maxIterations: ITERATIONS,
          confirmIterations: 5,
          reason: 'reached the maximum',
          heldIterations: 2,
        };
      },
      'before its verdicts held for 5 in a row (held 2): not confirmed, no pass',
      ExitCode.gateFailed,
      ExitCode.gateFailed,
    ],
    [
      'engine crash',
      (r) => {
        r.status = 'failed';
        r.failure = failure('crash', 'SIGSEGV');
      },
      'crash during iteration 4',
      ExitCode.engineFailure,
      ExitCode.engineFailure,
    ],
  ];
  for (const [what, change, message, runCode, gateCode] of rows) {
    it(`${what}: the gate fails (run exit ${runCode}, gate exit ${gateCode}) and so do the matchers`, () => {
      const outcome = judged(ended(change));
      expect(outcome.gate.passed).toBe(false);
      expect(outcome.gate.violations.map((v) => v.message).join('\n')).toContain(message);
      expect(runExitCode(outcome.results, outcome.gate)).toBe(runCode);
      expect(gateExitCode(outcome.results, outcome.gate)).toBe(gateCode);
      expect(outcome).not.toHaveNoLeak();
      expect(outcome).not.toPassGate();
    });
  }
});
