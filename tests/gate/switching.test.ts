/**
 * The gate: the switching scenario on the engine and models configured as for `leakgate run`
 * (LIBCHATLLM, LEAKGATE_MODELS; by default the reference engine on two generated models),
 * judged and compared with the checked-in baseline. It runs until every verdict is decided (as `leakgate
 * run` without --iterations does); ITERATIONS sets a fixed count instead.
 *
 * The benchmark runs once (beforeAll); then one test per model verdict, per count (fds, threads,
 * mappings), for the process as a whole, per baseline metric family and for run-level growth, so vitest's output, its GitHub annotations and
 * the job summary name the model and metric that failed, and show what passed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../src/config/resolveRunConfig.js';
import { type Comparison, type GateOutcome } from '../../src/gate/evaluateGate.js';
import { METRICS } from '../../src/gate/metrics.js';
import { describeComparison } from '../../src/report/formatGate.js';
import { run, type RunOutcome } from '../../src/run.js';
import '../../src/vitest/matchers.js';

const out = join(process.env.LEAKGATE_RESULTS_DIR ?? mkdtempSync(join(tmpdir(), 'leakgate-gate-')), 'model_switch_results.json');
// Resolved now, without running anything, so there is one test per model; run() resolves the same way.
const config = await resolveRunConfig({ out }, process.env, process.cwd());

let outcome: RunOutcome;
let gate: GateOutcome;

beforeAll(async () => {
  outcome = await run(
    { out },
    {
      // Progress goes to the terminal so a long real-engine run shows it is alive.
      log: (text) => process.stderr.write(`${text}\n`),
      error: (text) => process.stderr.write(`error: ${text}\n`),
      write: (text) => process.stderr.write(text),
      tty: false,
      env: process.env,
      cwd: process.cwd(),
    },
  );
  gate = outcome.gate;
});

/** The comparisons of one metric; a metric test without a baseline would pass on nothing, so it fails saying so. */
function comparisonsOf(metric: string): Comparison[] {
  expect(gate.baseline, `${metric}: no baseline at ${outcome.baselineFile} to compare with (npm run baseline:update)`).not.toBeNull();
  return gate.comparisons.filter((c) => c.metric === metric);
}
const failing = (comparisons: Comparison[]): string =>
  comparisons.filter((c) => c.status === 'fail').map((c) => `${c.label} ${c.metric}: ${describeComparison(c)}`).join('\n');

describe('leak gate: switch scenario', () => {
  it('has a baseline to hold the run to', () => {
    expect(gate.baseline, `no baseline at ${outcome.baselineFile}: measure one with npm run baseline:update (same engine, platform and models)`).not.toBeNull();
  });

  it('ran to the end, or failed exactly as the baseline accepts', () => {
    const violation = gate.violations.find((v) => v.kind === 'failure' || v.kind === 'incomplete' || v.kind === 'known-failure-gone');
    expect(violation?.message ?? null, violation?.message).toBeNull();
  });

  describe.each(config.models.map((model) => [model.label, model.key] as const))('model %s', (label, modelKey) => {
    it('verdict: no leak beyond what the baseline tolerates, and decided', () => {
      const leak = gate.violations.find((v) => (v.kind === 'leak' || v.kind === 'undecided') && v.modelKey === modelKey && v.label !== 'process');
      const judgement = outcome.analysis.judgement.models.find((m) => m.modelKey === modelKey);
      expect(judgement, `${label} was not judged`).toBeDefined();
      expect(leak?.message ?? null, `${label}: ${leak?.message}\n${judgement?.explanations.join('\n') ?? ''}`).toBeNull();
    });

    for (const kind of ['fd', 'thread', 'mapping'] as const) {
      it(`count: no ${kind} leak, nothing undecided`, () => {
        const finding = outcome.analysis.judgement.counts.find((c) => c.kind === kind && c.modelKey === modelKey);
        expect(finding, `${label}: ${kind} was not counted`).toBeDefined();
        expect(['clean', 'one-time'], finding!.message).toContain(finding!.verdict);
      });
    }
  });

  for (const metric of METRICS.filter((m) => m.scope === 'model')) {
    it(`metric ${metric.name}: every model within its tolerance`, () => {
      const comparisons = comparisonsOf(metric.name);
      expect(comparisons.length, `${metric.name} was not compared`).toBe(config.models.length);
      expect(failing(comparisons), failing(comparisons)).toBe('');
    });
  }

  for (const metric of METRICS.filter((m) => m.scope === 'run')) {
    it(`run-level ${metric.name}: within its tolerance`, () => {
      expect(failing(comparisonsOf(metric.name))).toBe('');
    });
  }

  it('the process as a whole: no leak, decided', () => {
    const process = gate.violations.find((v) => (v.kind === 'leak' || v.kind === 'undecided') && v.label === 'process');
    expect(process?.message ?? null, process?.message).toBeNull();
  });

  it('the gate as a whole passes', () => {
    expect(outcome).toPassGate();
  });
});
