/**
 * `run --attribute` attributes with the run's own settings (scenario, --timeout-scale, --trim, ffmpeg,
 * the models as hashed once), and writes the results file once, the sites in it. Needs heaptrack:
 * without it the test is skipped, saying so.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { RunConfig } from '../../src/config/RunConfig.js';
import { phaseTimeouts } from '../../src/config/phaseTimeouts.js';
import { findHeaptrack, HEAPTRACK_INSTALL_HINT } from '../../src/host/attribution/findHeaptrack.js';
import { run } from '../../src/pipelines/run.js';
import { readResultsFile } from '../../src/pipelines/readResultsFile.js';
import { KIB, MIB } from '../../src/units.js';
import { quietIO, refModelDir } from '../support/refModels.js';

const seen = vi.hoisted(() => ({ scenarioConfigs: [] as unknown[], jsonWrites: [] as string[], hashed: [] as string[] }));

// Pass-through spies: every worker run's configuration, every atomic JSON write, every model hashed.
vi.mock('../../src/host/runScenario.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/host/runScenario.js')>();
  return {
    ...actual,
    runScenario: (config: RunConfig, ...rest: unknown[]) => {
      seen.scenarioConfigs.push(config);
      return (actual.runScenario as (...a: unknown[]) => unknown)(config, ...rest);
    },
  };
});
vi.mock('../../src/files/writeJsonAtomic.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/files/writeJsonAtomic.js')>();
  return {
    ...actual,
    writeJsonAtomic: (path: string, ...rest: unknown[]) => {
      seen.jsonWrites.push(path);
      return (actual.writeJsonAtomic as (...a: unknown[]) => unknown)(path, ...rest);
    },
  };
});
vi.mock('../../src/files/sha256File.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/files/sha256File.js')>();
  return {
    ...actual,
    sha256File: (path: string) => {
      seen.hashed.push(path);
      return actual.sha256File(path);
    },
  };
});

const models = refModelDir();
afterAll(models.cleanup);
const heaptrack = await findHeaptrack();
const missing = heaptrack ? '' : ` (skipped: heaptrack is not installed here; ${HEAPTRACK_INSTALL_HINT})`;

describe.skipIf(!heaptrack)(`run --attribute --scenario restart --timeout-scale 2 --trim${missing}`, () => {
  it("attributes with the run's settings, hashes the model once and writes the results file once", async () => {
    const sizeBytes = 2 * MIB;
    // A leak per load and one per inference: restart loads once, so only the inference's grows per switch
    // (a switch scenario, the settings lost, would find both).
    const model = await models.model('restart-leaky', {
      sizeBytes,
      ttftMs: 0,
      charMs: 0,
      leakPerLoadBytes: 256 * KIB,
      leakPerInferBytes: 64 * KIB,
    });
    const out = join(models.dir, 'restart.json');
    const outcome = await run(
      {
        models: [model],
        scenario: 'restart',
        timeoutScale: 2,
        trim: true,
        iterations: 6,
        attribute: true,
        out,
        compareWithBaseline: false,
      },
      quietIO(models.dir),
    );
    expect(outcome.analysis.judgement.models[0]!.verdict).toBe('leak');

    const configs = seen.scenarioConfigs as RunConfig[];
    // The run, then attribution's plain and traced runs, all on the same resolved configuration.
    expect(configs.map((config) => config.iterations)).toEqual([6, 4, 4]);
    for (const config of configs) {
      expect(config.scenario).toBe('restart');
      expect(config.trim).toBe(true);
      expect(config.models[0]!.timeoutsMs).toEqual(phaseTimeouts(sizeBytes, 2));
      expect(config.ffmpeg).toBe(configs[0]!.ffmpeg);
    }
    expect(seen.hashed.filter((path) => path === model)).toHaveLength(1);

    const sites = outcome.results.attribution!.models[0]!.growingSites.map((site) => site.firstFrame.function);
    expect(sites).toEqual(['refengine_leak_per_infer']);

    expect(seen.jsonWrites.filter((path) => path === out)).toHaveLength(1);
    const saved = await readResultsFile(out);
    expect(
      saved.format === 'leakgate' && saved.results.attribution?.models[0]?.growingSites.map((site) => site.firstFrame.function),
    ).toEqual(['refengine_leak_per_infer']);
  }, 180_000);
});
