/**
 * What the allocation ledger (native/ledger) costs. Prints figures; not a test.
 *
 * 1. ns per malloc/free pair: a stand-in engine (scripts/ledger-bench/) driven by a small C program,
 *    without the ledger, and with it armed, the caller in the engine or not (then it only looks the
 *    pointer up in its filter). The program also checks the counts are exact (it exits 1 when not).
 * 2. With --lib LIB --model M [--model M2] [--iterations N]: the same leakgate run with the ledger and
 *    with LEAKGATE_LEDGER=0, mean load, inference and unload time per switch, and their ratio.
 *
 * Usage: npx tsx scripts/ledger-overhead.ts [--pairs N] [--lib LIB --model M ... --iterations N]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLedger } from '../src/refmodel/buildRefEngine.js';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '5000000' },
    lib: { type: 'string' },
    model: { type: 'string', multiple: true },
    iterations: { type: 'string', default: '10' },
  },
});

const here = resolve(import.meta.dirname, 'ledger-bench');
const work = mkdtempSync(join(tmpdir(), 'leakgate-ledger-bench-'));
try {
  const ledger = (await buildLedger()).libraryPath;
  execFileSync('c++', ['-O2', '-shared', '-fPIC', '-o', join(work, 'libbenchengine.so'), join(here, 'benchengine.cpp')]);
  execFileSync('cc', ['-O2', '-o', join(work, 'bench'), join(here, 'bench.c'), `-L${work}`, '-lbenchengine', `-Wl,-rpath,${work}`, '-ldl']);
  const bench = (preload: boolean): string =>
    execFileSync(join(work, 'bench'), [values.pairs!], { encoding: 'utf8', env: { ...process.env, ...(preload ? { LD_PRELOAD: ledger } : {}) } });
  console.log('--- without the ledger');
  process.stdout.write(bench(false));
  console.log('--- with the ledger preloaded and armed on libbenchengine');
  process.stdout.write(bench(true));

  if (values.lib && values.model?.length) {
    const runOnce = (ledgerOn: boolean): { loadMs: number; inferMs: number; unloadMs: number; wallMs: number } => {
      const out = join(work, `run-${ledgerOn ? 'on' : 'off'}.json`);
      const args = ['leakgate', 'run', '--lib', values.lib!, ...values.model!.flatMap((m) => ['--model', m]), '--iterations', values.iterations!, '--out', out];
      const started = performance.now();
      try {
        execFileSync('npx', args, { stdio: 'ignore', env: { ...process.env, LEAKGATE_LEDGER: ledgerOn ? '1' : '0' } });
      } catch {
        // a leak fails the gate (exit 1): the timings are still in the results file
      }
      const wallMs = performance.now() - started;
      const json = JSON.parse(readFileSync(out, 'utf8')) as { iterations: Record<string, { load_ms?: number; infer_ms?: number; unload_ms?: number }>[] };
      const switches = json.iterations.flatMap((it) => Object.values(it).filter((v) => typeof v === 'object' && v !== null && 'load_ms' in v));
      const mean = (key: 'load_ms' | 'infer_ms' | 'unload_ms'): number => switches.reduce((s, v) => s + (v[key] ?? 0), 0) / switches.length;
      return { loadMs: mean('load_ms'), inferMs: mean('infer_ms'), unloadMs: mean('unload_ms'), wallMs };
    };
    const off = runOnce(false);
    const on = runOnce(true);
    const row = (name: string, a: number, b: number): void => console.log(`${name.padEnd(22)} ${a.toFixed(1).padStart(10)} ${b.toFixed(1).padStart(10)} ${(b / a).toFixed(3).padStart(8)}`);
    console.log(`--- ${values.lib}, ${values.iterations} iterations, mean per switch (ms)`);
    console.log(`${''.padEnd(22)} ${'no ledger'.padStart(10)} ${'ledger'.padStart(10)} ${'ratio'.padStart(8)}`);
    row('load', off.loadMs, on.loadMs);
    row('inference', off.inferMs, on.inferMs);
    row('unload', off.unloadMs, on.unloadMs);
    row('switch (all three)', off.loadMs + off.inferMs + off.unloadMs, on.loadMs + on.inferMs + on.unloadMs);
    row('whole run, wall', off.wallMs, on.wallMs);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
