/**
 * The bump gate as vitest tests: `leakgate compare` between LEAKGATE_BASE_LIB and LEAKGATE_HEAD_LIB
 * (the models as for `leakgate run`: LEAKGATE_MODELS), run once in beforeAll; then one test for the
 * failure change and one per model and metric, so a failure names the model and metric.
 * Skipped, saying why, when the two libraries are not set.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare, type CompareRunOutcome } from '../../src/pipelines/compare.js';
import { COMPARE_METRICS } from '../../src/compare/compareMetrics.js';
import { describeRowFailure } from '../../src/compare/compareRuns.js';
import { resolveRunConfig } from '../../src/config/resolveRunConfig.js';
import { failureChangeText } from '../../src/report/formatCompare.js';
import { testRunIO } from '../../src/vitest/index.js';

const baseLib = process.env.LEAKGATE_BASE_LIB;
const headLib = process.env.LEAKGATE_HEAD_LIB;
const iterations = Number(process.env.ITERATIONS ?? 15);
const skipReason = baseLib && headLib ? null : 'set LEAKGATE_BASE_LIB and LEAKGATE_HEAD_LIB to compare two engines';
const models = skipReason ? [] : (await resolveRunConfig({ lib: baseLib, iterations }, process.env, process.cwd())).models;

let outcome: CompareRunOutcome;
if (skipReason) console.warn(`tests/gate/compare.test.ts skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)(`leakgate compare: head against base${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    outcome = await compare(
      {
        baseLib: baseLib!,
        headLib: headLib!,
        models: models.map((m) => m.path),
        iterations,
        outDir: process.env.LEAKGATE_RESULTS_DIR ?? mkdtempSync(`${tmpdir()}/leakgate-compare-`),
      },
      testRunIO(),
    );
  });

  it('head fails nowhere base does not', () => {
    const change = outcome.comparison.failureChange;
    expect(change.change === 'new' || change.change === 'different' ? failureChangeText(change) : null).toBeNull();
  });

  describe.each(models.map((m, index) => [m.label, index] as const))('model %s', (_label, index) => {
    for (const metric of COMPARE_METRICS) {
      it(`${metric.name}: head not worse than base beyond its tolerance`, () => {
        const row = outcome.comparison.rows.find((r) => r.modelIndex === index && r.metric === metric.name);
        expect(row, `${metric.name} was not compared`).toBeDefined();
        expect(row!.status === 'fail' ? describeRowFailure(row!) : null).toBeNull();
      });
    }
  });
});
