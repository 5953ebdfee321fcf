/** Baselines and the gate, end to end through the CLI commands. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIO } from '../support/captureIO.js';
import { main } from '../../src/cli/main.js';
import { validateBaseline } from '../../src/gate/validateBaseline.js';
import { refModelDir } from '../support/refModels.js';
import { MIB } from '../../src/units.js';

const models = refModelDir();
afterAll(models.cleanup);

async function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO(models.dir, env);
  const code = await main(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('baseline update and gate', async () => {
  const a = await models.model('base-a', { sizeBytes: 2 * MIB, ttftMs: 10, charMs: 1 });
  const b = await models.model('base-b', { sizeBytes: 5 * MIB, ttftMs: 10, charMs: 1 });
  const baseline = join(models.dir, 'baseline.json');
  const runArgs = ['--model', a, '--model', b, '--iterations', '8'];

  it('writes a schema-valid, sorted baseline from a clean run', async () => {
    const { code, out } = await cli(['baseline', 'update', ...runArgs, '--out', join(models.dir, 'b0.json'), '--baseline', baseline]);
    expect(code).toBe(0);
    expect(out).toContain('Baseline written');
    const text = readFileSync(baseline, 'utf8');
    const parsed = validateBaseline(JSON.parse(text), baseline);
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(text.endsWith('}\n')).toBe(true);
    expect(parsed.metrics['model_base_a/ttftMs']).toBeGreaterThan(9);
    // Every verdict the gate reads: each model's, the process's, and each count's (fds, threads, mappings).
    const keys = ['model_base_a', 'model_base_b'].flatMap((m) => [m, `${m}/fd`, `${m}/thread`, `${m}/mapping`]);
    expect(Object.keys(parsed.verdicts).sort()).toEqual([...keys, 'process'].sort());
    expect(new Set(Object.values(parsed.verdicts))).toEqual(new Set(['clean']));
  });

  it('passes the gate on a similar run', async () => {
    const results = join(models.dir, 'r1.json');
    expect((await cli(['run', ...runArgs, '--out', results, '--baseline', baseline])).code).toBe(0);
    const { code, out } = await cli(['gate', results, '--baseline', baseline]);
    expect(out).toContain('Gate: PASS');
    expect(code).toBe(0);
  });

  it('fails the gate when a metric is pushed past its tolerance, listing baseline, measured, tolerance and ratio', async () => {
    const results = join(models.dir, 'r1.json');
    const json = JSON.parse(readFileSync(results, 'utf8')) as { iterations: Record<string, { ttft_ms: number }>[] };
    for (const row of json.iterations) row.model_base_b!.ttft_ms *= 20; // 10 ms -> ~200 ms: past +max(100 ms, 50 %)
    const pushed = join(models.dir, 'pushed.json');
    writeFileSync(pushed, JSON.stringify(json));
    const { code, out } = await cli(['gate', pushed, '--baseline', baseline]);
    expect(code).toBe(1);
    expect(out).toContain('Gate: FAIL');
    expect(out).toMatch(/\[regression\] base-b ttftMs regressed/);
    expect(out).toMatch(/base-b\s+ttftMs\s+[\d.]+\s+[\d.]+\s+\+[\d.]+\s+[\d.]+\s+fail/);
  });

  it('refuses to write a baseline from a leaking run unless told why, and records the reason', async () => {
    const leaky = await models.model('base-leaky', { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0, leakPerLoadBytes: 1 * MIB });
    const file = join(models.dir, 'leaky-baseline.json');
    const refused = await cli([
      'baseline',
      'update',
      '--model',
      leaky,
      '--iterations',
      '6',
      '--out',
      join(models.dir, 'l.json'),
      '--baseline',
      file,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/baseline not written .*the verdict is leak \(base-leaky: engineHeap: leak, /);
    const accepted = await cli([
      'baseline',
      'update',
      '--model',
      leaky,
      '--iterations',
      '6',
      '--out',
      join(models.dir, 'l.json'),
      '--baseline',
      file,
      '--accept',
      'known upstream leak',
    ]);
    expect(accepted.code).toBe(0);
    const written = validateBaseline(JSON.parse(readFileSync(file, 'utf8')), file);
    expect(written.accepted?.reason).toMatch(/^known upstream leak: the verdict is leak/);
    // The accepted leak is tolerated at its size...
    const again = join(models.dir, 'l2.json');
    await cli(['run', '--model', leaky, '--iterations', '6', '--out', again, '--baseline', file]);
    expect((await cli(['gate', again, '--baseline', file])).code).toBe(0);
  });

  it('refuses, even with --accept, a run that reached --max-iterations before its verdicts held; held, it writes', async () => {
    const leaky = await models.model('cap-leaky', { sizeBytes: 2 * MIB, ttftMs: 0, charMs: 0, leakPerLoadBytes: 1 * MIB });
    const file = join(models.dir, 'cap-baseline.json');
    const update = (cap: string[]) =>
      cli(['baseline', 'update', '--model', leaky, ...cap, '--out', join(models.dir, 'cap.json'), '--baseline', file, '--accept', 'known']);
    // The leak is decided within 5 switches, but has not held for the 5 that confirm it.
    const refused = await update(['--max-iterations', '5']);
    expect(refused.code, refused.err).toBe(1);
    expect(refused.err).toMatch(
      /baseline not written .*the run reached its maximum of 5 iterations before its verdicts held for 5 in a row/,
    );
    expect(refused.err).toMatch(/\(held [1-4]\) — rerun with a larger --max-iterations/);
    expect(existsSync(file)).toBe(false);
    // The control: until decided (at most 100), the same leak holds, and the accepted baseline is written.
    const written = await update([]);
    expect(written.code, written.err).toBe(0);
    expect(validateBaseline(JSON.parse(readFileSync(file, 'utf8')), file).verdicts['model_cap_leaky']).toBe('leak');
  });

  it('baseline update replaces a corrupt baseline, or one of another model set, with a fresh valid one', async () => {
    for (const [name, content] of [
      ['corrupt.json', '{"schema":"nope"}'],
      ['other.json', readFileSync(join(models.dir, 'leaky-baseline.json'), 'utf8')],
    ] as const) {
      const file = join(models.dir, name);
      writeFileSync(file, content);
      const { code, out } = await cli(['baseline', 'update', ...runArgs, '--out', join(models.dir, `${name}.r.json`), '--baseline', file]);
      expect(code, out).toBe(0);
      expect(validateBaseline(JSON.parse(readFileSync(file, 'utf8')), file).models.map((m) => m.key)).toEqual([
        'model_base_a',
        'model_base_b',
      ]);
    }
  });

  it('rejects a baseline taken on another model set, naming the file', async () => {
    const { code, err } = await cli(['gate', join(models.dir, 'l2.json'), '--baseline', baseline]);
    expect(code).toBe(2);
    expect(err).toMatch(/baseline\.json was taken on another model set/);
  });
});

describe('analyze', () => {
  it("reads the seed's results format and prints a verdict per model with evidence", async () => {
    // The seed's file: RSS in MB; 1.7B keeps 24 MB per switch, 0.6B warms up 32 MB x3 then plateaus.
    // psutil noise of up to 0.5 MB on every sample (seeded), shared by back-to-back samples as in the seed.
    let state = 12345;
    const noiseMb = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
    const mb = (before: number, after: number) => ({
      mem_before_load_mb: before,
      mem_after_load_mb: before + 700,
      mem_after_infer_mb: before + 700,
      mem_after_unload_mb: after,
      net_leak_mb: after - before,
      ttft_ms: 0,
      gen_speed: 0,
      wer: 0,
    });
    let level = 800;
    const rows = Array.from({ length: 12 }, (_, index) => {
      const i = index + 1;
      const start = level + noiseMb();
      const between = level + (i <= 3 ? 32 : 0) + noiseMb();
      level += (i <= 3 ? 32 : 0) + 24;
      const end = level + noiseMb();
      return { iteration: i, mem_baseline_mb: start, model_06b: mb(start, between), model_17b: mb(between, end) };
    });
    const file = join(models.dir, 'model_switch_results.json');
    writeFileSync(file, JSON.stringify({ config: {}, summary: {}, iterations: rows }));
    const text = await cli(['analyze', file]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/\[0\.6B\] PLATEAU/);
    expect(text.out).toMatch(/\[1\.7B\] LEAK/);
    const json = await cli(['analyze', file, '--json']);
    const parsed = JSON.parse(json.out) as {
      verdict: string;
      models: { label: string; verdict: { verdict: string; signal: string; slopeBytesPerSwitch: number } }[];
    };
    expect(parsed.verdict).toBe('leak');
    expect(parsed.models.map((m) => [m.label, m.verdict.verdict, m.verdict.signal])).toEqual([
      ['0.6B', 'plateau', 'rss'],
      ['1.7B', 'leak', 'rss'],
    ]);
    expect(parsed.models[1]!.verdict.slopeBytesPerSwitch / (24 * MIB)).toBeCloseTo(1, 1);
  });
});
