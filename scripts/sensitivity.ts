/**
 * Sensitivity benchmark (not a test): planted leaks of several sizes on the reference engine,
 * judged after N = 5, 10, 20, 30 switches (prefixes of one 30-switch run), R repeats each, plus the
 * false-alarm rate on clean, noisy and plateau models. Each cell is "leak rate / undecided rate": a pass
 * needs evidence too, so a control that is neither a false alarm nor proven clean shows as undecided.
 * Prints a Markdown table.
 *
 *   npm run bench:sensitivity -- [--repeats R] [--control-repeats R]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeResults } from '../src/analysis/analyzeResults.js';
import type { RefModelSpec } from '../src/refmodel/RefModelSpec.js';
import { writeRefModel } from '../src/refmodel/writeRefModel.js';
import { run } from '../src/pipelines/run.js';
import type { RunResults } from '../src/results/RunResults.js';
import { KIB, MIB } from '../src/units.js';

const SWITCHES = [5, 10, 20, 30];
const LEAKS: [string, number][] = [['4 KiB', 4 * KIB], ['16 KiB', 16 * KIB], ['64 KiB', 64 * KIB], ['256 KiB', 256 * KIB], ['1 MiB', MIB], ['16 MiB', 16 * MIB]];
/** Leaks shaped like chatllm.cpp's (see the reference engine's fragmentation and keep-fd options). */
const SHAPED_LEAKS: [string, Partial<RefModelSpec>][] = [
  ['690 KB heap + 1 fd per load (chatllm.cpp + PR #111)', { leakPerLoadBytes: 690_000, keepFd: true }],
  ['fragmentation: 64 KiB pins strand 32 MiB per load', { fragmentBytes: 32 * MIB, fragmentPinBytes: 64 * KIB }],
];
const CONTROLS: [string, Partial<RefModelSpec>][] = [
  ['clean', {}],
  ['noisy clean (noise < 4 MiB)', { noiseBytes: 4 * MIB }],
  ['plateau (8 MiB x 5 loads)', { plateauLoads: 5, plateauBytes: 8 * MIB }],
  ['retention: RSS +32 MiB per load, heap flat', { fragmentBytes: 32 * MIB }],
  ['a thread started once', { threadOnce: true }],
];

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '10' }, 'control-repeats': { type: 'string', default: '20' } } });
const repeats = Number(values.repeats);
const controlRepeats = Number(values['control-repeats']);
const dir = mkdtempSync(join(tmpdir(), 'leakgate-sensitivity-'));
const silent = { log: () => undefined, error: () => undefined, write: () => undefined, out: () => undefined, tty: false as const, env: process.env, cwd: dir };

/** Verdict of the run's first `switches` switches: the model's and its counts' (fds, threads), worst first. */
function verdictAfter(results: RunResults, switches: number): string {
  const prefix = { ...results, records: results.records.filter((r) => r.iteration <= switches) };
  return analyzeResults(prefix).judgement.verdict;
}

async function verdicts(name: string, spec: Partial<RefModelSpec>, times: number): Promise<string[][]> {
  const path = join(dir, `${name.replace(/\W+/g, '-')}.bin`);
  await writeRefModel(path, { sizeBytes: 1 * MIB, ttftMs: 0, charMs: 0, ...spec });
  const rows: string[][] = [];
  for (let r = 0; r < times; r += 1) {
    const { results } = await run({ models: [path], iterations: Math.max(...SWITCHES), out: join(dir, 'r.json'), compareWithBaseline: false }, silent);
    rows.push(SWITCHES.map((n) => verdictAfter(results, n)));
    process.stderr.write('.');
  }
  return rows;
}

const rate = (rows: string[][], column: number, verdict: string): string =>
  `${Math.round((100 * rows.filter((row) => row[column] === verdict).length) / rows.length)} %`;
/** "100 % / 0 %": the leak rate, then the undecided rate. */
const rates = (rows: string[][], column: number): string => `${rate(rows, column, 'leak')} / ${rate(rows, column, 'undecided')}`;

const started = Date.now();
const lines = [`| planted leak per switch (leak / undecided) | ${SWITCHES.map((n) => `N = ${n}`).join(' | ')} |`, `| --- | ${SWITCHES.map(() => '---:').join(' | ')} |`];
for (const [label, bytes] of LEAKS) {
  const rows = await verdicts(`leak-${label}`, { leakPerLoadBytes: bytes }, repeats);
  lines.push(`| ${label} (detected) | ${SWITCHES.map((_, i) => rates(rows, i)).join(' | ')} |`);
}
for (const [label, spec] of SHAPED_LEAKS) {
  const rows = await verdicts(label, spec, repeats);
  lines.push(`| ${label} (detected) | ${SWITCHES.map((_, i) => rates(rows, i)).join(' | ')} |`);
}
for (const [label, spec] of CONTROLS) {
  const rows = await verdicts(label, spec, controlRepeats);
  lines.push(`| ${label} (false alarms) | ${SWITCHES.map((_, i) => rates(rows, i)).join(' | ')} |`);
}
rmSync(dir, { recursive: true, force: true });
process.stderr.write('\n');
console.log(`Leak and undecided rates of the run's verdict (heap in use decides; fd and thread leaks count), reference engine,`);
console.log(`${repeats} runs per leak size, ${controlRepeats} per control, ${((Date.now() - started) / 1000).toFixed(0)} s:\n`);
console.log(lines.join('\n'));
