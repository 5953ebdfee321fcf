import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLeakgateResults, readResultsFile } from '../../../src/pipelines/readResultsFile.js';
import { fromSeedResults } from '../../../src/analysis/fromSeedResults.js';
import { LeakgateError, ExitCode } from '../../../src/errors.js';
import { MIB } from '../../../src/units.js';

const model = (beforeMb: number, afterMb: number) => ({
  transcript_zh_tw: '你好',
  itn_result: '你好',
  ttft_ms: 300,
  gen_speed: 20,
  wer: 0,
  mem_before_load_mb: beforeMb,
  mem_after_load_mb: beforeMb + 900,
  mem_after_infer_mb: beforeMb + 950,
  mem_after_unload_mb: afterMb,
  load_overhead_mb: 900,
  unload_release_mb: 950 - afterMb + beforeMb,
  net_leak_mb: afterMb - beforeMb,
});
const seed = () => ({
  config: { iterations: 3 },
  summary: { avg_leak_mb: 32 },
  iterations: [
    { iteration: 1, mem_baseline_mb: 300, mem_end_mb: 332, total_leak_mb: 32, model_06b: model(300, 316), model_17b: model(316, 332) },
    { iteration: 3, mem_baseline_mb: 364, mem_end_mb: 365, total_leak_mb: 1, model_06b: model(364, 364.5), model_17b: model(364.5, 365) },
    { iteration: 2, mem_baseline_mb: 332, mem_end_mb: 364, total_leak_mb: 32, model_06b: model(332, 348), model_17b: model(348, 364) },
  ] as Record<string, unknown>[],
});

const errorOf = (fn: () => unknown): LeakgateError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof LeakgateError) return e;
    throw e;
  }
  throw new Error('expected a LeakgateError');
};

describe('fromSeedResults', () => {
  it('reads RSS per model in bytes (MB × 1024²), ordered by iteration, labelled as the seed names them', () => {
    const [a, b] = fromSeedResults(seed(), 'r.json');
    // After-unload levels with the other model's switch changes taken out (attributeToModels):
    // switches 06b +16, 17b +16, 06b +16, 17b +16, 06b +0.5, 17b +0.5 (MB).
    // 0.6B after: 316 - 0, 348 - 16, 364.5 - 32; before: 300 - 0, 332 - 16, 364 - 32.
    // 1.7B after: 332 - 16, 364 - 32, 365 - 32.5; before: 316 - 16, 348 - 32, 364.5 - 32.5.
    expect(a).toEqual({
      modelKey: 'model_06b',
      label: '0.6B',
      afterUnloadBytes: { rss: [316 * MIB, 332 * MIB, 332.5 * MIB] },
      beforeLoadBytes: { rss: [300 * MIB, 316 * MIB, 332 * MIB] },
    });
    expect(b!.label).toBe('1.7B');
    expect(b!.afterUnloadBytes.rss).toEqual([316 * MIB, 332 * MIB, 332.5 * MIB]);
    expect(b!.beforeLoadBytes.rss).toEqual([300 * MIB, 316 * MIB, 332 * MIB]);
  });

  it('accepts any model_* key present in every iteration', () => {
    const json = seed();
    for (const it of json.iterations) {
      it['model_ref_small'] = model(1, 2);
      it['model_4b'] = model(1, 2);
    }
    expect(fromSeedResults(json, 'r.json').map((s) => s.label)).toEqual(['0.6B', '1.7B', 'ref-small', '4B']);
  });

  it('names the missing field and the file', () => {
    const json = seed();
    delete (json.iterations[2]!['model_06b'] as Record<string, unknown>)['mem_after_unload_mb'];
    const e = errorOf(() => fromSeedResults(json, 'results/seed.json'));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toMatch(/^results\/seed\.json: iterations\[2\]\.model_06b\.mem_after_unload_mb is missing \(/);
  });

  it('names a model missing from a later iteration, a non-number, and a bad top level', () => {
    const missing = seed();
    delete missing.iterations[1]!['model_17b'];
    expect(errorOf(() => fromSeedResults(missing, 'r.json')).message).toMatch(/iterations\[1\]\.model_17b is missing/);

    const text = seed();
    (text.iterations[0]!['model_17b'] as Record<string, unknown>)['mem_before_load_mb'] = '316';
    expect(errorOf(() => fromSeedResults(text, 'r.json')).message).toMatch(
      /iterations\[0\]\.model_17b\.mem_before_load_mb is not a finite number \("316"\)/,
    );

    expect(errorOf(() => fromSeedResults([], 'r.json')).message).toMatch(/the top level is not an object/);
    expect(errorOf(() => fromSeedResults({}, 'r.json')).message).toMatch(/iterations is missing/);
    expect(errorOf(() => fromSeedResults({ iterations: [] }, 'r.json')).message).toMatch(/iterations is empty/);
    expect(errorOf(() => fromSeedResults({ iterations: [{ iteration: 1 }] }, 'r.json')).message).toMatch(
      /iterations\[0\] has no model_\* entry/,
    );
    expect(errorOf(() => fromSeedResults({ iterations: [{ model_06b: model(1, 2) }] }, 'r.json')).message).toMatch(
      /iterations\[0\]\.iteration is missing/,
    );
  });
});

describe('reading a seed results file from disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-seed-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'model_switch_results.json');
  writeFileSync(path, JSON.stringify(seed()));

  it('readResultsFile yields its series, process levels and iteration count', async () => {
    const file = await readResultsFile(path);
    expect(file.format).toBe('seed');
    if (file.format !== 'seed') return;
    expect(file.iterations).toBe(3);
    expect(file.processLevels.rss).toEqual([300 * MIB, 332 * MIB, 364 * MIB, 365 * MIB]);
  });

  it('a command that needs leakgate’s probes refuses it with exit 2, saying what it lacks and what to run', async () => {
    const error = await readLeakgateResults(path, 'not enough to gate on').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeakgateError);
    expect((error as LeakgateError).exitCode).toBe(ExitCode.usage);
    expect((error as LeakgateError).message).toBe(
      `${path} is a seed results file: it has RSS only, not enough to gate on (use leakgate analyze for its verdict, ` +
        `or rerun with leakgate run)`,
    );
  });
});
