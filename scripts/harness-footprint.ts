/**
 * The harness's own memory over a long run (not a test): N iterations of a tiny clean reference
 * model, printing the worker's V8 heap and heap in use, and the host's RSS and V8 heap, every N/10.
 *
 *   npm run bench:footprint -- [--iterations 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeRefModel } from '../src/refmodel/writeRefModel.js';
import { run } from '../src/run.js';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '1000' } } });
const iterations = Number(values.iterations);
const dir = mkdtempSync(join(tmpdir(), 'leakgate-footprint-'));
const model = join(dir, 'tiny.bin');
await writeRefModel(model, { sizeBytes: 256 * 1024, ttftMs: 0, charMs: 0 });

const KIB = 1024;
const host: { atMs: number; rssBytes: number; heapUsedBytes: number }[] = [];
const sampleHost = (): void => {
  global.gc?.();
  const usage = process.memoryUsage();
  host.push({ atMs: Date.now(), rssBytes: usage.rss, heapUsedBytes: usage.heapUsed });
};
sampleHost();
const timer = setInterval(sampleHost, 2000);
const started = Date.now();
const { results } = await run(
  { models: [model], iterations, out: join(dir, 'r.json'), compareWithBaseline: false },
  { log: () => undefined, error: () => undefined, write: () => undefined, tty: false, env: process.env, cwd: dir },
);
clearInterval(timer);
sampleHost();
rmSync(dir, { recursive: true, force: true });

console.log(`${iterations} iterations in ${((Date.now() - started) / 1000).toFixed(0)} s; verdict ${results.records.length ? 'see below' : 'no records'}`);
console.log('| iteration | worker V8 heap used | worker heap in use (mallinfo2) | worker RssAnon |');
console.log('| ---: | ---: | ---: | ---: |');
const step = Math.max(1, Math.floor(iterations / 10));
for (const record of results.records.filter((r) => r.iteration === 1 || r.iteration % step === 0)) {
  const p = record.phases.afterUnload;
  console.log(`| ${record.iteration} | ${(p.v8HeapUsedBytes / KIB).toFixed(0)} KiB | ${((p.heapInUseBytes ?? 0) / KIB).toFixed(0)} KiB | ${(p.rssAnonBytes / KIB).toFixed(0)} KiB |`);
}
const first = host[0]!;
const last = host.at(-1)!;
console.log(`\nhost (CLI/test-runner process): RSS ${(first.rssBytes / KIB).toFixed(0)} KiB -> ${(last.rssBytes / KIB).toFixed(0)} KiB, ` +
  `V8 heap ${(first.heapUsedBytes / KIB).toFixed(0)} KiB -> ${(last.heapUsedBytes / KIB).toFixed(0)} KiB (max RSS ${(Math.max(...host.map((h) => h.rssBytes)) / KIB).toFixed(0)} KiB over ${host.length} samples)`);
