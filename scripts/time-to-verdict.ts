/**
 * Time to a decided verdict (a benchmark, not a test): `leakgate run` without --iterations — it stops
 * once every verdict is decided and has held — against a fixed 100-iteration run, on the reference
 * engine's planted 4 KiB/switch leak and its clean control (two 4 MiB models each). Prints a Markdown
 * table: verdicts, why it stopped, switches, wall time, and the ratio to the fixed run.
 *
 *   npm run bench:verdict-time -- [--repeats R] [--no-fixed]
 *   npm run bench:verdict-time -- --lib /tmp/eng/111/lib/libchatllm.so --model a.bin --model b.bin [--label NAME]
 *
 * With --lib and --model it times that engine instead (once): the fixed run is then not measured (an
 * hour on the real engine) but estimated as 100 iterations at the measured time per iteration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeRefModel } from '../src/refmodel/writeRefModel.js';
import { formatSwitchTime } from '../src/report/formatSwitchTime.js';
import { completedIterations } from '../src/results/resultsFile.js';
import { run, type RunOutcome } from '../src/pipelines/run.js';
import { KIB, MIB } from '../src/units.js';

const FIXED_ITERATIONS = 100;

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    'no-fixed': { type: 'boolean', default: false },
    lib: { type: 'string' },
    model: { type: 'string', multiple: true },
    label: { type: 'string' },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'leakgate-verdict-time-'));
const silent = {
  log: () => undefined,
  error: () => undefined,
  write: () => undefined,
  out: () => undefined,
  tty: false as const,
  env: process.env,
  cwd: dir,
};

interface Timed {
  outcome: RunOutcome;
  wallS: number;
}

async function timedRun(options: Parameters<typeof run>[0]): Promise<Timed> {
  const started = performance.now();
  const outcome = await run({ out: join(dir, 'r.json'), compareWithBaseline: false, ...options }, silent);
  return { outcome, wallS: (performance.now() - started) / 1000 };
}

const verdictsOf = ({ outcome }: Timed): string =>
  [
    ...outcome.analysis.judgement.models.map((m) => `${m.label} ${m.verdict}`),
    ...(outcome.analysis.judgement.process ? [`process ${outcome.analysis.judgement.process.verdict}`] : []),
  ].join(', ');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

const lines = [
  '| case | verdicts when stopped | stopped after (iterations; switches) | wall time | fixed 100 iterations | ratio |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
];
const details: string[] = [];

if (values.lib && values.model?.length) {
  const timed = await timedRun({ lib: values.lib, models: values.model });
  const iterations = completedIterations(timed.outcome.results);
  const fixedS = (timed.wallS / iterations) * FIXED_ITERATIONS;
  lines.push(
    `| ${values.label ?? values.lib} | ${verdictsOf(timed)} | ${iterations}; ${timed.outcome.results.records.length} | ` +
      `${timed.wallS.toFixed(0)} s | ≈ ${(fixedS / 60).toFixed(0)} min (estimated) | ${(timed.wallS / fixedS).toFixed(2)} |`,
  );
  details.push(
    `${values.label ?? values.lib}: ${timed.outcome.results.stopping?.reason}; gate ${timed.outcome.gate.passed ? 'PASS' : 'FAIL'}`,
  );
  details.push(`  ${formatSwitchTime(timed.outcome.results)}`);
} else {
  const repeats = Number(values.repeats);
  const cases: [string, number][] = [
    ['planted 4 KiB/switch leak', 4 * KIB],
    ['clean control', 0],
  ];
  for (const [label, leakPerLoadBytes] of cases) {
    const models = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const path = join(dir, `${name}-${leakPerLoadBytes}.bin`);
        await writeRefModel(path, { sizeBytes: 4 * MIB, ttftMs: 5, charMs: 1, leakPerLoadBytes });
        return path;
      }),
    );
    const early: Timed[] = [];
    for (let r = 0; r < repeats; r += 1) {
      early.push(await timedRun({ models }));
      process.stderr.write('.');
    }
    const fixed = values['no-fixed'] ? null : await timedRun({ models, iterations: FIXED_ITERATIONS });
    const wallS = median(early.map((t) => t.wallS));
    const iterations = early.map((t) => completedIterations(t.outcome.results));
    const verdicts = [...new Set(early.map(verdictsOf))].join('; ');
    lines.push(
      `| ${label} | ${verdicts} | ${median(iterations)} (${Math.min(...iterations)}–${Math.max(...iterations)}); ` +
        `${median(iterations) * models.length} | ${wallS.toFixed(1)} s | ` +
        `${fixed ? `${fixed.wallS.toFixed(1)} s (${verdictsOf(fixed)})` : 'not run'} | ` +
        `${fixed ? (wallS / fixed.wallS).toFixed(2) : 'n/a'} |`,
    );
    details.push(`${label}: ${early[0]!.outcome.results.stopping?.reason}`);
    details.push(`  ${formatSwitchTime(early[0]!.outcome.results)}`);
  }
}
rmSync(dir, { recursive: true, force: true });
process.stderr.write('\n');
console.log(
  `Time to a decided verdict: leakgate run without --iterations vs a fixed ${FIXED_ITERATIONS}-iteration run (median of the runs; wall ` +
    `time includes the worker's start)\n`,
);
console.log(lines.join('\n'));
console.log(`\n${details.join('\n')}`);
