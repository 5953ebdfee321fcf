/**
 * Compare benchmark (not a test): `leakgate compare` on the reference engine, R times each, for a head
 * identical to base (false alarms), a head leaking 256 KiB/switch more, a head 30 % and 10 % slower to
 * the first token. Prints how often each failed and the widest interval seen. Two models per run, as
 * the gate runs them.
 *
 *   npm run bench:compare -- [--repeats R] [--iterations N] [--case TEXT]
 *
 * --case runs only the cases whose name contains TEXT (e.g. --case identical).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compare } from '../src/pipelines/compare.js';
import type { RefModelSpec } from '../src/refmodel/RefModelSpec.js';
import { ensureRefEngineBuilt } from '../src/refmodel/refEnginePath.js';
import { writeRefModel } from '../src/refmodel/writeRefModel.js';
import { KIB, MIB } from '../src/units.js';

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '20' },
    iterations: { type: 'string', default: '8' },
    case: { type: 'string', default: '' },
  },
});
const repeats = Number(values.repeats);
const iterations = Number(values.iterations);
const dir = mkdtempSync(join(tmpdir(), 'leakgate-compare-bench-'));
const silent = {
  log: () => undefined,
  error: () => undefined,
  write: () => undefined,
  out: () => undefined,
  tty: false as const,
  env: process.env,
  cwd: dir,
};

const SMALL: Partial<RefModelSpec> = { sizeBytes: 4 * MIB, ttftMs: 100, charMs: 2 };
const LARGE: Partial<RefModelSpec> = { sizeBytes: 10 * MIB, ttftMs: 100, charMs: 2 };
const CASES: [string, Partial<RefModelSpec>, string][] = [
  ['identical head (false alarms)', {}, 'none'],
  ['head leaks +256 KiB/switch', { leakPerLoadBytes: 256 * KIB }, 'leakBytesPerSwitch'],
  ['head leaks +8 KiB/switch', { leakPerLoadBytes: 8 * KIB }, 'leakBytesPerSwitch'],
  ['head TTFT +30 %', { ttftMs: 130 }, 'ttftMs'],
  ['head TTFT +10 % (must pass)', { ttftMs: 110 }, 'none'],
];

async function model(name: string, spec: Partial<RefModelSpec>): Promise<string> {
  const path = join(dir, `${name}.bin`);
  await writeRefModel(path, spec);
  return path;
}

try {
  const lib = await ensureRefEngineBuilt();
  const baseModels = [await model('small', SMALL), await model('large', LARGE)];
  console.log(`| case | runs failed | metrics failing | widest interval (${iterations} iterations, 2 models) |`);
  console.log('| --- | ---: | --- | --- |');
  for (const [name, change, expected] of CASES.filter(([name]) => name.includes(values.case!))) {
    const headModels = [
      await model(`small-${expected}-${name.length}`, { ...SMALL, ...change }),
      await model(`large-${expected}-${name.length}`, { ...LARGE, ...change }),
    ];
    let failed = 0;
    const failing = new Set<string>();
    let widest = '';
    let widestSpan = 0;
    for (let r = 0; r < repeats; r += 1) {
      const { comparison } = await compare(
        { baseLib: lib, headLib: lib, baseModels, headModels, iterations, outDir: join(dir, 'out') },
        silent,
      );
      if (!comparison.passed) {
        failed += 1;
        for (const violation of comparison.violations) process.stderr.write(`  ${name}, run ${r + 1}: ${violation}\n`);
      }
      for (const row of comparison.rows) {
        if (row.status === 'fail') failing.add(row.metric);
        const watched = expected === 'none' ? 'ttftMs' : expected;
        if (row.metric === watched && row.interval && row.interval.high - row.interval.low > widestSpan) {
          widestSpan = row.interval.high - row.interval.low;
          widest = `${row.metric} ${row.interval.low.toFixed(3)} to ${row.interval.high.toFixed(3)}`;
        }
      }
    }
    console.log(`| ${name} | ${failed}/${repeats} | ${[...failing].join(', ') || '-'} | ${widest} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
