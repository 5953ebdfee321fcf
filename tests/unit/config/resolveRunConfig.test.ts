/**
 * resolveRunConfig's run length and generation cap: a fixed length with --iterations or ITERATIONS,
 * else until decided; twins cap generation at what the real model writes for the truth.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  CONFIRM_ITERATIONS,
  DEFAULT_MAX_ITERATIONS,
  MMAP_THRESHOLD_BYTES,
  resolveRunConfig,
} from '../../../src/config/resolveRunConfig.js';
import { formatHeader } from '../../../src/report/formatRunLog.js';
import { twinGenMaxTokens } from '../../../src/twin/twinGenMaxTokens.js';
import { writeTwin } from '../../../src/twin/writeTwin.js';
import { refModelDir } from '../../support/refModels.js';

const dir = refModelDir();
afterAll(dir.cleanup);
const env = { PATH: process.env.PATH };
const ref = await dir.model('ref');
const twin = join(dir.dir, 'twin.bin');
await writeTwin(twin, { shape: 'tiny', type: 'q8_0', seed: 1 });
// Any existing regular file passes for a real engine here: nothing is loaded.
const realLib = process.execPath;

describe('resolveRunConfig: how long a run is', () => {
  it('runs until decided, at most 100 iterations, without --iterations or ITERATIONS', async () => {
    const config = await resolveRunConfig({ models: [ref], out: join(dir.dir, 'a.json') }, env, dir.dir);
    expect(config.stopRule).toEqual({
      rule: 'until-decided',
      maxIterations: DEFAULT_MAX_ITERATIONS,
      confirmIterations: CONFIRM_ITERATIONS,
    });
    expect(config.iterations).toBe(DEFAULT_MAX_ITERATIONS);
  });

  it.each([
    ['--iterations', { iterations: 3, maxIterations: 50 }, {}, 3],
    ['ITERATIONS', {}, { ITERATIONS: '7' }, 7],
  ])('keeps a fixed length with %s', async (_name, options, extraEnv, iterations) => {
    const config = await resolveRunConfig({ models: [ref], out: join(dir.dir, 'b.json'), ...options }, { ...env, ...extraEnv }, dir.dir);
    expect(config.stopRule).toEqual({ rule: 'fixed', maxIterations: iterations, confirmIterations: null });
    expect(config.iterations).toBe(iterations);
  });

  it('takes --max-iterations as the until-decided maximum, and refuses one below 1 naming the flag', async () => {
    const config = await resolveRunConfig({ models: [ref], out: join(dir.dir, 'c.json'), maxIterations: 12 }, env, dir.dir);
    expect(config).toMatchObject({ iterations: 12, stopRule: { rule: 'until-decided', maxIterations: 12 } });
    await expect(resolveRunConfig({ models: [ref], out: join(dir.dir, 'c.json'), maxIterations: 0 }, env, dir.dir)).rejects.toThrow(
      '--max-iterations must be a whole number >= 1, got 0',
    );
  });
});

describe('resolveRunConfig: models from plain JavaScript', () => {
  it('refuses a string where the model list goes, naming the option and the fix (exit 2)', async () => {
    const given = { models: 'a.bin' as unknown as string[], out: join(dir.dir, 's.json') };
    await expect(resolveRunConfig(given, env, dir.dir)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining("models must be an array of model file paths, got \"a.bin\" (e.g. models: ['a.bin', 'b.bin'])"),
    });
  });
});

describe("resolveRunConfig: glibc's mmap threshold in the worker", () => {
  it('pins it at 128 KiB by default and says so in the header; --dynamic-mmap-threshold leaves it to glibc', async () => {
    const pinned = await resolveRunConfig({ models: [ref], out: join(dir.dir, 'm.json') }, env, dir.dir);
    expect(pinned.mmapThresholdBytes).toBe(MMAP_THRESHOLD_BYTES);
    expect(formatHeader(pinned, 'switch')).toContain("glibc's mmap threshold pinned at 128.0 KiB in the worker");
    const dynamic = await resolveRunConfig({ models: [ref], out: join(dir.dir, 'm.json'), dynamicMmapThreshold: true }, env, dir.dir);
    expect(dynamic.mmapThresholdBytes).toBeNull();
    expect(formatHeader(dynamic, 'switch')).toContain("glibc's mmap threshold left dynamic");
  });
});

describe('resolveRunConfig: how many tokens a transcription may generate', () => {
  it('caps a twin at what the real model writes for the truth, and says so', async () => {
    const config = await resolveRunConfig({ lib: realLib, models: [twin, twin], out: join(dir.dir, 'd.json') }, env, dir.dir);
    expect(config.truth).toBe('0900073331');
    expect(config.genMaxTokens).toBe(23);
    expect(config.notes.join('\n')).toContain(
      'generation: at most 23 tokens per transcription, what the real model writes for the truth (10 characters)',
    );
  });

  it('lets --gen-max-tokens win over the twin cap, and leaves other models at 256', async () => {
    expect(
      (await resolveRunConfig({ lib: realLib, models: [twin], genMaxTokens: 64, out: join(dir.dir, 'e.json') }, env, dir.dir)).genMaxTokens,
    ).toBe(64);
    expect((await resolveRunConfig({ models: [ref], out: join(dir.dir, 'f.json') }, env, dir.dir)).genMaxTokens).toBe(256);
  });
});

describe('twinGenMaxTokens', () => {
  it('is 1.5 tokens per character of the truth (spaces not counted) plus 8, rounded up', () => {
    expect(twinGenMaxTokens('0900073331')).toBe(23);
    expect(twinGenMaxTokens('今天 天氣很好')).toBe(Math.ceil(6 * 1.5) + 8);
    expect(twinGenMaxTokens('a')).toBe(10);
  });
  it('is 32 without a truth', () => {
    expect(twinGenMaxTokens(null)).toBe(32);
    expect(twinGenMaxTokens('  ')).toBe(32);
  });
});

describe('resolveRunConfig: settings a run could not survive', () => {
  it.each([
    // the engine would start them all: an abort, or the OOM killer, blamed on the engine
    [{ threads: 1_000_000_000 }, {}, '--threads must be a whole number from 1 to 1024, got 1000000000'],
    [{}, { INFERENCE_THREADS: '5000' }, 'INFERENCE_THREADS (environment) must be a whole number from 1 to 1024, got 5000'],
    // past 2^53 the count is not a whole number any more
    [{ iterations: 1e20 }, {}, '--iterations must be a whole number from 1 to 9007199254740991'],
    // every timeout rounded to 0 ms: "engine hung"
    [{ timeoutScale: 1e-9 }, {}, '--timeout-scale must be a number from 0.01 to 1000, got 1e-9'],
  ])('%j %j: %s', async (options, extraEnv, message) => {
    await expect(
      resolveRunConfig({ models: [ref], out: join(dir.dir, 'g.json'), ...options }, { ...env, ...extraEnv }, dir.dir),
    ).rejects.toThrow(message);
  });

  it('takes 1024 threads', async () => {
    expect((await resolveRunConfig({ models: [ref], out: join(dir.dir, 'h.json'), threads: 1024 }, env, dir.dir)).threads).toBe(1024);
  });
});
