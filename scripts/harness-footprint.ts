/**
 * The harness's own footprint over a long run (not a test): N iterations of a tiny clean reference
 * model. For every tenth of the run it prints the wall time per switch next to the engine's time inside
 * it (load + transcribe + unload as the worker timed them) and their difference, the harness's own time
 * per switch (probes, IPC, results writing), and the host process's CPU time per switch (which other
 * load on the machine does not inflate, as it does wall time); then the worker's V8 heap and heap in
 * use, and the host's RSS and V8 heap. With several counts, the harness time per switch of each, so a cost that grows with
 * the run's length shows.
 *
 *   npm run bench:footprint -- [--iterations 1000] [--iterations-list 50,2000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeRefModel } from '../src/refmodel/writeRefModel.js';
import type { ModelIteration } from '../src/results/RunResults.js';
import { run } from '../src/pipelines/run.js';
import { KIB } from '../src/units.js';

const { values } = parseArgs({
  options: { iterations: { type: 'string', default: '1000' }, 'iterations-list': { type: 'string' } },
});
const counts = (values['iterations-list'] ?? values.iterations).split(',').map(Number);
if (counts.some((count) => !Number.isInteger(count) || count < 2))
  throw new Error('--iterations and --iterations-list take whole numbers of at least 2');

/** Parts each run is reported in (deciles). */
const PARTS = 10;

interface SwitchTiming {
  record: ModelIteration;
  /** From the previous switch's progress update to this one's: everything the harness did for this switch. */
  wallMs: number;
  /** What the worker timed inside the engine calls. */
  engineMs: number;
  /** CPU time of this (host) process over the switch: writing results is here, and other load on the machine is not. */
  hostCpuMs: number;
}

interface Measured {
  iterations: number;
  totalMs: number;
  switches: SwitchTiming[];
  resultsFileBytes: number;
  host: { rssBytes: number; heapUsedBytes: number }[];
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function measure(iterations: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-footprint-'));
  try {
    const model = join(dir, 'tiny.bin');
    await writeRefModel(model, { sizeBytes: 256 * KIB, ttftMs: 0, charMs: 0 });
    const host: Measured['host'] = [];
    const sampleHost = (): void => {
      global.gc?.();
      const usage = process.memoryUsage();
      host.push({ rssBytes: usage.rss, heapUsedBytes: usage.heapUsed });
    };
    sampleHost();
    const timer = setInterval(sampleHost, 2000);
    // With a TTY the progress line is rewritten once per switch, after the switch is measured and
    // saved: the time between two rewrites is one switch as the user waits for it.
    const updateAtMs: number[] = [];
    const cpuAtMs: number[] = [];
    const write = (text: string): void => {
      if (!text.startsWith('\r')) return;
      updateAtMs.push(performance.now());
      const cpu = process.cpuUsage();
      cpuAtMs.push((cpu.user + cpu.system) / 1000);
    };
    const out = join(dir, 'r.json');
    const startedMs = performance.now();
    const { results } = await run(
      { models: [model], iterations, out, compareWithBaseline: false },
      { log: () => undefined, error: () => undefined, write, out: () => undefined, tty: true, env: process.env, cwd: dir },
    );
    const totalMs = performance.now() - startedMs;
    clearInterval(timer);
    sampleHost();
    if (updateAtMs.length !== results.records.length)
      throw new Error(`${updateAtMs.length} progress updates for ${results.records.length} switches`);
    // The first switch also starts the worker: it has no previous update to measure from.
    const switches = results.records.slice(1).map((record, index) => ({
      record,
      wallMs: updateAtMs[index + 1]! - updateAtMs[index]!,
      engineMs: record.loadMs + record.inferMs + record.unloadMs,
      hostCpuMs: cpuAtMs[index + 1]! - cpuAtMs[index]!,
    }));
    return { iterations, totalMs, switches, resultsFileBytes: statSync(out).size, host };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The switches in PARTS consecutive groups of (nearly) equal size. */
function deciles(switches: readonly SwitchTiming[]): SwitchTiming[][] {
  return Array.from({ length: PARTS }, (_, part) =>
    switches.slice(Math.floor((part * switches.length) / PARTS), Math.floor(((part + 1) * switches.length) / PARTS)),
  ).filter((group) => group.length > 0);
}

function report(measured: Measured): void {
  const { iterations, switches } = measured;
  console.log(
    `\n## ${iterations} iterations: ${(measured.totalMs / 1000).toFixed(1)} s, results file ` +
      `${(measured.resultsFileBytes / KIB).toFixed(0)} KiB`,
  );
  console.log(
    '| switches | wall ms/switch | engine ms/switch | harness ms/switch | host CPU ms/switch | worker V8 heap used | worker heap in use ' +
      '(mallinfo2) | worker RssAnon |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const group of deciles(switches)) {
    const wallMs = mean(group.map((s) => s.wallMs));
    const engineMs = mean(group.map((s) => s.engineMs));
    const p = group.at(-1)!.record.phases.afterUnload;
    console.log(
      `| ${group[0]!.record.iteration}-${group.at(-1)!.record.iteration} | ${wallMs.toFixed(1)} | ${engineMs.toFixed(1)} | ` +
        `${(wallMs - engineMs).toFixed(1)} | ` +
        `${mean(group.map((s) => s.hostCpuMs)).toFixed(1)} | ` +
        `${(p.v8HeapUsedBytes / KIB).toFixed(0)} KiB | ${((p.heapInUseBytes ?? 0) / KIB).toFixed(0)} KiB | ` +
        `${(p.rssAnonBytes / KIB).toFixed(0)} KiB |`,
    );
  }
  const first = measured.host[0]!;
  const last = measured.host.at(-1)!;
  console.log(
    `host (CLI process): RSS ${(first.rssBytes / KIB).toFixed(0)} KiB -> ${(last.rssBytes / KIB).toFixed(0)} KiB, ` +
      `V8 heap ${(first.heapUsedBytes / KIB).toFixed(0)} KiB -> ${(last.heapUsedBytes / KIB).toFixed(0)} KiB ` +
      `(max RSS ${(Math.max(...measured.host.map((h) => h.rssBytes)) / KIB).toFixed(0)} KiB over ${measured.host.length} samples)`,
  );
}

/**
 * Harness ms per switch over the whole run (mean, and median, which one slow fsync does not move) and
 * over its last tenth (where a cost that grows with the run is largest).
 */
function harnessMsPerSwitch(measured: Measured): { meanMs: number; medianMs: number; lastTenthMs: number; hostCpuMs: number } {
  const harnessMs = (group: readonly SwitchTiming[]): number[] => group.map((s) => s.wallMs - s.engineMs);
  return {
    meanMs: mean(harnessMs(measured.switches)),
    medianMs: median(harnessMs(measured.switches)),
    lastTenthMs: mean(harnessMs(deciles(measured.switches).at(-1)!)),
    hostCpuMs: mean(measured.switches.map((s) => s.hostCpuMs)),
  };
}

type Summary = ReturnType<typeof harnessMsPerSwitch> & { iterations: number };
/** Prefix of the line a child run prints its summary on, for the parent's comparison. */
const SUMMARY_PREFIX = 'summary: ';

if (counts.length === 1) {
  const measured = await measure(counts[0]!);
  report(measured);
  console.log(`${SUMMARY_PREFIX}${JSON.stringify({ iterations: measured.iterations, ...harnessMsPerSwitch(measured) })}`);
} else {
  // Each count in a fresh process: a second run in one process costs more per switch than the first
  // (measured: 50 iterations after 300 cost as much as the 300), which would pass for a cost that grows.
  const all: Summary[] = [];
  for (const iterations of counts) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--iterations', String(iterations)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`the ${iterations}-iteration run failed (exit ${child.status ?? child.signal})`);
    const lines = child.stdout.split('\n');
    console.log(
      lines
        .filter((line) => !line.startsWith(SUMMARY_PREFIX))
        .join('\n')
        .trimEnd(),
    );
    all.push(JSON.parse(lines.find((line) => line.startsWith(SUMMARY_PREFIX))!.slice(SUMMARY_PREFIX.length)) as Summary);
  }
  const reference = all[0]!;
  console.log('\n## Harness time per switch by run length (each run in a fresh process)');
  const percent = (ms: number, referenceMs: number): string => {
    const change = ((ms - referenceMs) / referenceMs) * 100;
    return `${change >= 0 ? '+' : ''}${change.toFixed(1)} %`;
  };
  const vs = `vs ${reference.iterations}`;
  console.log(
    `| iterations | mean ms/switch | median ms/switch | last tenth ms/switch | host CPU ms/switch | mean ${vs} | median ${vs} | last ` +
      `tenth ${vs} | host CPU ${vs} |`,
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { iterations, meanMs, medianMs, lastTenthMs, hostCpuMs } of all) {
    console.log(
      `| ${iterations} | ${meanMs.toFixed(2)} | ${medianMs.toFixed(2)} | ${lastTenthMs.toFixed(2)} | ${hostCpuMs.toFixed(2)} | ` +
        `${percent(meanMs, reference.meanMs)} | ${percent(medianMs, reference.medianMs)} | ` +
        `${percent(lastTenthMs, reference.lastTenthMs)} | ${percent(hostCpuMs, reference.hostCpuMs)} |`,
    );
  }
}
