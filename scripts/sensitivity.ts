/**
 * Sensitivity benchmark (not a test): planted leaks of several sizes on the reference engine,
 * judged after N = 5, 10, 20, 30 switches (prefixes of one 30-switch run), R repeats each, plus the
 * false-alarm rate on clean, noisy and plateau models; and with early stopping on (`leakgate run` without
 * --iterations: stopWhenDecided applied after every switch of the same runs, at most 30), the verdict it
 * stopped on and after how many switches (median, most). Prints a Markdown table.
 *
 *   npm run bench:sensitivity -- [--repeats R] [--control-repeats R]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stopWhenDecided } from '../src/analysis/stopWhenDecided.js';
import { CONFIRM_ITERATIONS } from '../src/config/resolveRunConfig.js';
import { analyzeResults } from '../src/analysis/analyzeResults.js';
import type { RefModelSpec } from '../src/refmodel/RefModelSpec.js';
import { writeRefModel } from '../src/refmodel/writeRefModel.js';
import { run } from '../src/pipelines/run.js';
import type { RunResults } from '../src/results/RunResults.js';
import { KIB, MIB } from '../src/units.js';

const SWITCHES = [5, 10, 20, 30];
const LEAKS: [string, number][] = [
  ['4 KiB', 4 * KIB],
  ['16 KiB', 16 * KIB],
  ['64 KiB', 64 * KIB],
  ['256 KiB', 256 * KIB],
  ['1 MiB', MIB],
  ['16 MiB', 16 * MIB],
];
/** Leaks shaped like chatllm.cpp's (see the reference engine's fragmentation and keep-fd options). */
const SHAPED_LEAKS: [string, Partial<RefModelSpec>][] = [
  ['690 KB heap + 1 fd per load (chatllm.cpp + PR #111)', { leakPerLoadBytes: 690_000, keepFd: true }],
  ['fragmentation: 64 KiB pins strand 32 MiB per load', { fragmentBytes: 32 * MIB, fragmentPinBytes: 64 * KIB }],
  // RSS climbs 32 MiB per load and heap in use stays under its floor, but the 16-byte pins that
  // strand it are never freed: 8 per load, a real leak of 128 B/switch the engine heap counts.
  ['retention behind 16 B pins: RSS +32 MiB, heap +128 B per load', { fragmentBytes: 32 * MIB }],
];
const CONTROLS: [string, Partial<RefModelSpec>][] = [
  ['clean', {}],
  ['noisy clean (noise < 4 MiB)', { noiseBytes: 4 * MIB }],
  ['plateau (8 MiB x 5 loads)', { plateauLoads: 5, plateauBytes: 8 * MIB }],
  ['a thread started once', { threadOnce: true }],
];

const { values } = parseArgs({
  options: { repeats: { type: 'string', default: '10' }, 'control-repeats': { type: 'string', default: '20' } },
});
const repeats = Number(values.repeats);
const controlRepeats = Number(values['control-repeats']);
const dir = mkdtempSync(join(tmpdir(), 'leakgate-sensitivity-'));
const silent = {
  log: () => undefined,
  error: () => undefined,
  write: () => undefined,
  out: () => undefined,
  tty: false as const,
  env: process.env,
  cwd: dir,
};

/** Verdict of the run's first `switches` switches: the model's and its counts' (fds, threads), worst first. */
function verdictAfter(results: RunResults, switches: number): string {
  const prefix = { ...results, records: results.records.filter((r) => r.iteration <= switches) };
  return analyzeResults(prefix).judgement.verdict;
}

/** The run as an until-decided run would have stopped it (at most all its switches): verdict and switches. */
function untilDecided(results: RunResults): { verdict: string; switches: number } {
  const max = Math.max(...SWITCHES);
  const stop = stopWhenDecided({ rule: 'until-decided', maxIterations: max, confirmIterations: CONFIRM_ITERATIONS });
  for (let n = 1; n <= max; n += 1) {
    const prefix = { ...results, records: results.records.filter((r) => r.iteration <= n) };
    if (stop(prefix, n).stop) return { verdict: analyzeResults(prefix).judgement.verdict, switches: n };
  }
  return { verdict: verdictAfter(results, max), switches: max };
}

/** Per run: the verdicts after SWITCHES switches, then the until-decided verdict and its switch count. */
async function verdicts(name: string, spec: Partial<RefModelSpec>, times: number): Promise<string[][]> {
  const path = join(dir, `${name.replace(/\W+/g, '-')}.bin`);
  await writeRefModel(path, { sizeBytes: 1 * MIB, ttftMs: 0, charMs: 0, ...spec });
  const rows: string[][] = [];
  for (let r = 0; r < times; r += 1) {
    const { results } = await run(
      { models: [path], iterations: Math.max(...SWITCHES), out: join(dir, 'r.json'), compareWithBaseline: false },
      silent,
    );
    const early = untilDecided(results);
    rows.push([...SWITCHES.map((n) => verdictAfter(results, n)), early.verdict, String(early.switches)]);
    process.stderr.write('.');
  }
  return rows;
}

const rate = (rows: string[][], column: number, verdict: string): string =>
  `${Math.round((100 * rows.filter((row) => row[column] === verdict).length) / rows.length)} %`;
/** "100 % / 0 %": the leak rate, then the undecided rate. */
const rates = (rows: string[][], column: number): string => `${rate(rows, column, 'leak')} / ${rate(rows, column, 'undecided')}`;

/** The until-decided columns: the rate, then "median (most)" switches to the stop. */
function untilDecidedCells(rows: string[][], verdict: string): string {
  const switches = rows.map((row) => Number(row[SWITCHES.length + 1])).sort((a, b) => a - b);
  return `${rate(rows, SWITCHES.length, verdict)} | ${switches[Math.floor((switches.length - 1) / 2)]} (${switches.at(-1)})`;
}
/** The fixed-N columns as leak / undecided rates, then the until-decided columns. */
const cells = (rows: string[][], verdict: string): string =>
  `${SWITCHES.map((_, i) => rates(rows, i)).join(' | ')} | ${untilDecidedCells(rows, verdict)}`;

const started = Date.now();
const lines = [
  `| planted leak per switch (leak / undecided) | ${SWITCHES.map((n) => `N = ${n}`).join(' | ')} | until decided | switches ` +
    `to decide, median (most) |`,
  `| --- | ${SWITCHES.map(() => '---:').join(' | ')} | ---: | ---: |`,
];
for (const [label, bytes] of LEAKS) {
  const rows = await verdicts(`leak-${label}`, { leakPerLoadBytes: bytes }, repeats);
  lines.push(`| ${label} (detected) | ${cells(rows, 'leak')} |`);
}
for (const [label, spec] of SHAPED_LEAKS) {
  const rows = await verdicts(label, spec, repeats);
  lines.push(`| ${label} (detected) | ${cells(rows, 'leak')} |`);
}
for (const [label, spec] of CONTROLS) {
  const rows = await verdicts(label, spec, controlRepeats);
  lines.push(`| ${label} (false alarms) | ${cells(rows, 'leak')} |`);
}
rmSync(dir, { recursive: true, force: true });
process.stderr.write('\n');
console.log(
  "Detection and false-alarm rates of the run's leak verdict (the engine heap decides, a leak outside malloc too; " +
    'fd and thread leaks count), reference engine;',
);
console.log(
  `"until decided": the verdict a run without --iterations stops on (decided and held for ${CONFIRM_ITERATIONS} iterations, at most ` +
    `${Math.max(...SWITCHES)}),`,
);
console.log(`${repeats} runs per leak size, ${controlRepeats} per control, ${((Date.now() - started) / 1000).toFixed(0)} s:\n`);
console.log(lines.join('\n'));
