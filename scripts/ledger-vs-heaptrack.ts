/**
 * Cross-checks the allocation ledger's per-site bytes per switch against heaptrack's leaks, by hand
 * (heaptrack is never a dependency of leakgate). Prints a table; not a test.
 *
 * heaptrack: the same switches twice, at N1 and N2 iterations, with heaptrack preloaded in the worker
 * only (as `leakgate attribute` does, the ledger off). The bytes still allocated at the worker's exit are
 * summed per site: the first frame of the stack in an engine module (libchatllm, libggml*) outside its
 * std:: functions, as "MODULE+0xOFFSET" (the ledger's own key, so sites are matched by address, not by
 * name). The difference between the two runs over the switches between them is the per-switch growth
 * (one-time allocations cancel). `heaptrack_print --print-leaks` is kept in --keep DIR for reading.
 * The ledger: one run of N2 iterations with it preloaded, every site's change after unload per switch.
 *
 * Usage: npx tsx scripts/ledger-vs-heaptrack.ts --lib LIB --model A --model B [--n1 5] [--n2 10] [--keep DIR]
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { requireHeaptrack } from '../src/host/attribution/findHeaptrack.js';
import { runScenario } from '../src/host/runScenario.js';
import { qualifiedName } from '../src/host/symbolizeEngineSites.js';
import type { LeakgateIO } from '../src/LeakgateIO.js';
import { run } from '../src/pipelines/run.js';
import { resolveRun } from '../src/pipelines/resolveRun.js';
import { LEDGER_ENV } from '../src/protocol/WorkerMessage.js';

const { values } = parseArgs({
  options: {
    lib: { type: 'string' },
    model: { type: 'string', multiple: true },
    n1: { type: 'string', default: '5' },
    n2: { type: 'string', default: '10' },
    keep: { type: 'string' },
    top: { type: 'string', default: '10' },
  },
});
if (!values.lib || !values.model?.length) throw new Error('usage: --lib LIB --model A [--model B] [--n1 5] [--n2 10]');
const n1 = Number(values.n1);
const n2 = Number(values.n2);
const work = values.keep ?? mkdtempSync(join(tmpdir(), 'leakgate-vs-heaptrack-'));
mkdirSync(work, { recursive: true });
const lines: string[] = [];
/** The engine's modules, as the worker arms the ledger (libchatllm and the ggml libraries). */
const ENGINE = /\/lib(chatllm|ggml)[^/]*$/;
const io: LeakgateIO = {
  log: (t) => void lines.push(t),
  error: (t) => void lines.push(t),
  write: (t) => void lines.push(t),
  out: (t) => void lines.push(t),
  tty: false,
  env: process.env,
  cwd: process.cwd(),
};

/** Mangled names of std:: and __gnu_cxx:: functions: the prefixes the ledger walks through (native/ledger). */
const STD_SYMBOL = /^_Z(NK?St|St|NK?9__gnu_cxx|NK?Sa|NK?Ss)/;

/** Address spans (module offsets) of the std:: functions emitted into a module, from its symbol table. */
function stdSpans(module: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const line of execFileSync('nm', ['-S', '--defined-only', module], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n')) {
    const [start, size, type, name] = line.split(' ');
    if (name && (type === 'T' || type === 't' || type === 'W' || type === 'w') && STD_SYMBOL.test(name))
      spans.push([parseInt(start!, 16), parseInt(start!, 16) + parseInt(size!, 16)]);
  }
  return spans;
}

/**
 * Leaked bytes per engine site ("MODULE+0xOFFSET", the return address into the engine as the ledger keys
 * it): every allocation still live at the worker's exit, at the first frame of its stack in an engine
 * module that is not std:: code. heaptrack_interpret's text: `s` strings, `i` ips (address, module
 * string), `t` traces (ip, parent), `a` kinds (size, trace), `+`/`-` (hex; strings, ips and traces from 1).
 */
async function heaptrackLeaks(iterations: number): Promise<Map<string, number>> {
  const heaptrack = await requireHeaptrack(process.env);
  const { config, scenario } = await resolveRun(
    { lib: values.lib, models: values.model, iterations, out: join(work, `ht${iterations}.json`) },
    io,
  );
  const raw = join(work, `heaptrack-${iterations}.raw`);
  const outcome = await runScenario(config, scenario, {
    workerEnv: { LD_PRELOAD: heaptrack.preloadLibrary, DUMP_HEAPTRACK_OUTPUT: raw, [LEDGER_ENV]: '0' },
  });
  if (outcome.failure) throw new Error(outcome.failure.message);
  const interpreted = join(work, `heaptrack-${iterations}.txt`);
  execFileSync('sh', ['-c', `"${heaptrack.interpreter}" < "${raw}" > "${interpreted}"`]);
  // heaptrack's own view, kept for reading by hand.
  execFileSync('sh', [
    '-c',
    `heaptrack_print -f "${interpreted}" --print-leaks 1 -p 0 -a 0 -T 0 > "${join(work, `leaks-${iterations}.txt`)}" 2>/dev/null`,
  ]);
  // Module load addresses: the raw dump's "m <length> <path> <base> ..." lines.
  const bases = new Map<string, bigint>();
  for (const line of execFileSync('grep', ['-a', '^m ', raw], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n')) {
    const [, , path, base] = line.split(' ');
    if (path && base && ENGINE.test(path)) bases.set(path, BigInt(`0x${base}`));
  }
  const spans = new Map([...bases.keys()].map((path) => [path, stdSpans(path)]));
  const strings: string[] = [''];
  const ips: { address: bigint; module: number }[] = [{ address: 0n, module: 0 }];
  const traces: [number, number][] = [[0, 0]];
  const kinds: [number, number][] = [];
  const live: number[] = [];
  for await (const text of createInterface({ input: createReadStream(interpreted), crlfDelay: Infinity })) {
    const tag = text[0];
    if (text[1] !== ' ') continue;
    if (tag === '+' || tag === '-') {
      const kind = parseInt(text.slice(2), 16);
      live[kind] = (live[kind] ?? 0) + (tag === '+' ? 1 : -1);
    } else if (tag === 'a') {
      const [size, trace] = text.slice(2).split(' ');
      kinds.push([parseInt(size!, 16), parseInt(trace!, 16)]);
    } else if (tag === 't') {
      const [ip, parent] = text.slice(2).split(' ');
      traces.push([parseInt(ip!, 16), parseInt(parent!, 16)]);
    } else if (tag === 'i') {
      const [address, module] = text.slice(2).split(' ');
      ips.push({ address: BigInt(`0x${address}`), module: parseInt(module!, 16) });
    } else if (tag === 's') {
      const space = text.indexOf(' ', 2);
      strings.push(space < 0 ? '' : text.slice(space + 1));
    }
  }
  const bySite = new Map<string, number>();
  kinds.forEach(([size, leaf], kind) => {
    const count = live[kind] ?? 0;
    if (count === 0) return;
    for (let trace = leaf, guard = 0; trace > 0 && guard < 1000; trace = traces[trace]![1], guard += 1) {
      const ip = ips[traces[trace]![0]]!;
      const module = strings[ip.module] ?? '';
      const base = bases.get(module);
      if (base === undefined) continue;
      // heaptrack records the call instruction (return address - 1); the ledger keys the return address.
      const call = Number(ip.address - base);
      if (spans.get(module)!.some(([lo, hi]) => call >= lo && call < hi)) continue;
      const site = `${module}+0x${(call + 1).toString(16)}`;
      bySite.set(site, (bySite.get(site) ?? 0) + size * count);
      return;
    }
  });
  return bySite;
}

try {
  const switchesPerModelBetween = n2 - n1;
  const modelCount = values.model.length;
  const [low, high] = [await heaptrackLeaks(n1), await heaptrackLeaks(n2)];
  const heaptrack = new Map(
    [...high].map(([name, bytes]) => [name, (bytes - (low.get(name) ?? 0)) / (switchesPerModelBetween * modelCount)]),
  );

  const ledgerRun = await run(
    { lib: values.lib, models: values.model, iterations: n2, out: join(work, 'ledger.json'), compareWithBaseline: false, reporters: [] },
    io,
  );
  // Every site (the report lists the top ones): each model's changes after unload past its engine-heap
  // warm-up, per switch, averaged over the models.
  const ledger = new Map<string, number>();
  const names = new Map<string, string>();
  const models = ledgerRun.analysis.judgement.models;
  for (const model of models) {
    const warmup = model.evidence.find((e) => e.signal === 'engineHeap')?.warmupSwitches ?? 0;
    const measured = ledgerRun.results.records
      .filter((r) => r.modelKey === model.modelKey)
      .sort((a, b) => a.iteration - b.iteration)
      .slice(warmup);
    for (const record of measured) {
      for (const change of record.phases.afterUnload.engineSiteChanges ?? []) {
        ledger.set(change.site, (ledger.get(change.site) ?? 0) + change.changeBytes / measured.length / models.length);
        names.set(
          change.site,
          `${change.function ? qualifiedName(change.function) : '?'}${change.location ? ` (${change.location.split('/').at(-1)})` : ''}`,
        );
      }
    }
  }
  const sites = [...new Set([...ledger.keys(), ...[...heaptrack].filter(([, b]) => b >= 1).map(([n]) => n)])]
    .sort((a, b) => Math.max(heaptrack.get(b) ?? 0, ledger.get(b) ?? 0) - Math.max(heaptrack.get(a) ?? 0, ledger.get(a) ?? 0))
    .slice(0, Number(values.top));
  console.log('| site (first engine frame) | heaptrack B/switch | ledger B/switch | ledger vs heaptrack |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const site of sites) {
    const h = heaptrack.get(site) ?? 0;
    const l = ledger.get(site) ?? 0;
    console.log(
      `| \`${names.get(site) ?? site}\` | ${h.toFixed(1)} | ${l.toFixed(1)} | ${h > 0 ? `${(((l - h) / h) * 100).toFixed(1)} %` : '-'} |`,
    );
  }
  const total = (m: Map<string, number>) => [...m.values()].filter((b) => b > 0).reduce((sum, b) => sum + b, 0);
  console.log(
    `\ngrowing sites in all: heaptrack ${total(heaptrack).toFixed(1)} B/switch, ledger ${total(ledger).toFixed(1)} B/switch; ` +
      `engine-heap slope ${ledgerRun.analysis.judgement.models
        .map((m) => m.evidence.find((e) => e.signal === 'engineHeap')?.slopeBytesPerSwitch.toFixed(1))
        .join(', ')} B/switch; files in ${work}`,
  );
} finally {
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}
