/**
 * `leakgate attribute` proven on the reference engine: a model planting 1 MiB per load in one function
 * and 64 KiB per inference in another is attributed to exactly those two functions, each within 5 %;
 * a clean model shows no growing site. Needs heaptrack: without it the tests are skipped, saying so.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attribute } from '../../src/pipelines/attribute.js';
import { ExitCode } from '../../src/errors.js';
import { findHeaptrack, HEAPTRACK_INSTALL_HINT } from '../../src/host/attribution/findHeaptrack.js';
import type { Attribution } from '../../src/results/Attribution.js';
import { readResultsFile } from '../../src/pipelines/readResultsFile.js';
import { run } from '../../src/pipelines/run.js';
import { runCli } from '../cli/runCli.js';
import { quietIO, refModelDir } from '../support/refModels.js';
import { KIB, MIB } from '../../src/units.js';

const TIMEOUT_MS = 120_000;
const models = refModelDir();
afterAll(models.cleanup);

const heaptrack = await findHeaptrack();
const missing = heaptrack ? '' : ` (skipped: heaptrack is not installed here; ${HEAPTRACK_INSTALL_HINT})`;

describe.skipIf(!heaptrack)(`attribution on planted leaks${missing}`, () => {
  let attribution: Attribution;
  beforeAll(async () => {
    const leaky = await models.model('leaky', {
      sizeBytes: 2 * MIB,
      ttftMs: 0,
      charMs: 0,
      leakPerLoadBytes: MIB,
      leakPerInferBytes: 64 * KIB,
    });
    const clean = await models.model('clean', { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0 });
    attribution = await attribute({ models: [leaky, clean], switches: 4 }, quietIO(models.dir));
  }, TIMEOUT_MS);

  it('lists exactly the two planted functions, each within 5 % of its bytes per switch', () => {
    const leaky = attribution.models.find((model) => model.label === 'leaky')!;
    expect(leaky.growingSites.map((site) => site.firstFrame.function)).toEqual(['refengine_leak_per_load', 'refengine_leak_per_infer']);
    const [perLoad, perInfer] = leaky.growingSites;
    expect(Math.abs(perLoad!.bytesPerSwitch - MIB) / MIB).toBeLessThan(0.05);
    expect(Math.abs(perInfer!.bytesPerSwitch - 64 * KIB) / (64 * KIB)).toBeLessThan(0.05);
    expect(perLoad!.callsPerSwitch).toBe(1);
    // The stack runs up to the C API entry the allocation happened under.
    expect(perLoad!.stack.at(-1)!.function).toBe('chatllm_start');
    expect(perInfer!.stack.at(-1)!.function).toBe('chatllm_user_input');
    expect(perLoad!.firstFrame.file).toMatch(/refengine\.c$/);
    expect(perLoad!.firstFrame.line).toBeGreaterThan(0);
    // Together they explain the heap slope measured without heaptrack.
    expect(leaky.coveredShare!).toBeGreaterThan(0.95);
    expect(leaky.coveredShare!).toBeLessThan(1.05);
  });

  it('the clean control has no growing site', () => {
    const clean = attribution.models.find((model) => model.label === 'clean')!;
    expect(clean.growingSites).toEqual([]);
    expect(clean.switches).toBe(4);
  });

  it('reports what tracing cost against the plain run', () => {
    expect(attribution.plainRunMs).toBeGreaterThan(0);
    expect(attribution.tracedRunMs).toBeGreaterThan(0);
  });
});

describe.skipIf(!heaptrack)(`run --attribute${missing}`, () => {
  it(
    'attributes a leak verdict automatically and keeps the sites in the results file',
    async () => {
      const leaky = await models.model('run-leaky', { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0, leakPerLoadBytes: 256 * KIB });
      const io = quietIO(models.dir);
      const outcome = await run(
        { models: [leaky], iterations: 5, attribute: true, out: join(models.dir, 'run.json'), compareWithBaseline: false },
        io,
      );
      expect(outcome.analysis.judgement.models[0]!.verdict).toBe('leak');
      expect(outcome.results.attribution!.models[0]!.growingSites.map((site) => site.firstFrame.function)).toEqual([
        'refengine_leak_per_load',
      ]);
      expect(io.output.join('\n')).toMatch(
        /Where run-leaky leaks .*\n {2}1\. 256\.0 KiB\/switch, 1 calls\/switch: refengine_leak_per_load \(/,
      );
      const saved = await readResultsFile(join(models.dir, 'run.json'));
      expect(saved.format === 'leakgate' && saved.results.attribution?.models[0]?.growingSites[0]?.bytesPerSwitch).toBeCloseTo(
        256 * KIB,
        -3,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'attributes a model whose --fail-fast run stopped on an unload check (an fd left per load), past the check',
    async () => {
      const fdLeak = await models.model('fd-leak', { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0, leakPerLoadBytes: 128 * KIB, keepFd: true });
      const outcome = await run(
        { models: [fdLeak], iterations: 5, attribute: true, failFast: true, out: join(models.dir, 'fd.json'), compareWithBaseline: false },
        quietIO(models.dir),
      );
      expect(outcome.results.failure?.kind).toBe('unload-check');
      const attributed = outcome.results.attribution!.models[0]!;
      expect(attributed.switches).toBe(4);
      expect(attributed.growingSites.map((site) => site.firstFrame.function)).toEqual(['refengine_leak_per_load']);
    },
    TIMEOUT_MS,
  );

  it(
    'does not attribute a clean run (control)',
    async () => {
      // 8 switches: over 5, the worker's early runtime drift (0.5–3 KiB/switch) left 1 in 10 clean runs undecided (not
      // yet proven clean), which would make this control pass for the wrong reason or fail it
      const clean = await models.model('run-clean', { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0 });
      const outcome = await run(
        { models: [clean], iterations: 8, attribute: true, out: join(models.dir, 'clean.json'), compareWithBaseline: false },
        quietIO(models.dir),
      );
      const model = outcome.analysis.judgement.models[0]!;
      expect(model.verdict, model.explanations.join('\n')).toBe('clean');
      expect(outcome.results.attribution).toBeUndefined();
    },
    TIMEOUT_MS,
  );
});

describe('without heaptrack', () => {
  it(
    'exits 4 with one line naming the fix',
    async () => {
      const model = await models.model('any', { sizeBytes: MIB, ttftMs: 0, charMs: 0 });
      const result = await runCli(['attribute', '--model', model, '--out', `${models.dir}/a.json`], {
        timeoutMs: TIMEOUT_MS,
        env: { ...process.env, LEAKGATE_HEAPTRACK_PRELOAD: `${models.dir}/no-heaptrack.so` },
      });
      expect(result.exitCode).toBe(ExitCode.environment);
      expect(result.stderr.trim().split('\n')).toEqual([
        `leakgate attribute: heaptrack is not installed, and leakgate attribute needs it to name allocation sites (` +
          `${HEAPTRACK_INSTALL_HINT})`,
      ]);
    },
    TIMEOUT_MS,
  );
});
