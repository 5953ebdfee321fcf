/**
 * `leakgate attribute`, the whole pipeline: resolve the configuration, run the switches once plainly
 * (the heap slope and the time to beat), run them again with heaptrack preloaded in the worker only,
 * read heaptrack's dump, and name the allocation sites whose retained bytes grow per switch.
 * `run --attribute` calls the same `attributeSites` with the run's own resolved configuration.
 */
import { realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { MINIMUM_FLOOR_BYTES_PER_SWITCH } from '../analysis/noiseFloor.js';
import type { RunConfig } from '../config/RunConfig.js';
import type { RunOptions } from '../config/RunOptions.js';
import { engineError, usageError } from '../errors.js';
import { requireHeaptrack } from '../host/attribution/findHeaptrack.js';
import { readHeaptrackDump } from '../host/attribution/readHeaptrackDump.js';
import { siteGrowth } from '../host/attribution/siteGrowth.js';
import { runScenario, type ScenarioOutcome } from '../host/runScenario.js';
import type { LeakgateIO } from '../LeakgateIO.js';
import { HEAP_MARK_BYTES, HEAP_MARKS_ENV, LEDGER_ENV } from '../protocol/WorkerMessage.js';
import { formatAttribution } from '../report/formatAttribution.js';
import type { Attribution, ModelAttribution } from '../results/Attribution.js';
import type { ModelIteration } from '../results/RunResults.js';
import { writeJsonAtomic } from '../files/writeJsonAtomic.js';
import { resolveRun, type ResolvedRun } from './resolveRun.js';

/** Switches per model by default: one warm-up and three that count, under 2 minutes on the tiny twin. */
export const DEFAULT_ATTRIBUTION_SWITCHES = 4;

export interface AttributeOptions extends RunOptions {
  /** Switches per model (the first is warm-up). @default 4 */
  switches?: number;
  /** Print the attribution as JSON on stdout. @default false */
  json?: boolean;
}

/**
 * `leakgate attribute`: attributes the configured run, writes the sites to `out` (default
 * results/attribution.json) and prints them. Throws LeakgateError exit 4 without heaptrack, exit 3
 * when the engine fails.
 */
export async function attribute(options: AttributeOptions, io: LeakgateIO): Promise<Attribution> {
  const outPath = resolve(io.cwd, options.out ?? 'results/attribution.json');
  const attribution = await attributeSites(await resolveRun({ ...options, out: outPath }, io), options.switches, io);
  await writeJsonAtomic(outPath, attribution);
  io.log(`${formatAttribution(attribution)}\nAttribution saved to ${outPath}`);
  if (options.json) io.out(`${JSON.stringify(attribution, null, 2)}\n`);
  return attribution;
}

/**
 * Attributes a resolved run's leak: its engine, models, scenario and settings (ffmpeg, timeouts,
 * --trim) as given, `switches` per model and never stopping early (--fail-fast). Progress goes to `io.log`.
 */
export async function attributeSites(
  { config: runConfig, scenario }: ResolvedRun,
  switches = DEFAULT_ATTRIBUTION_SWITCHES,
  io: LeakgateIO,
): Promise<Attribution> {
  const heaptrack = await requireHeaptrack(io.env);
  if (!Number.isInteger(switches) || switches < 2)
    throw usageError(
      `--switches must be a whole number >= 2 (one warm-up switch and one that counts), got ${switches} (e.g. --switches 4)`,
    );
  // Past what --fail-fast stops at: the fd or thread left per load is what the sites explain.
  const config: RunConfig = { ...runConfig, iterations: switches, failFast: false };

  io.log(`attribute: ${switches} switches per model without heaptrack...`);
  const plain = await timed(() => runScenario(config, scenario, { signal: io.signal }));
  failOn(plain.outcome);
  const dumpDir = await mkdtemp(join(tmpdir(), 'leakgate-heaptrack-'));
  try {
    const rawDump = join(dumpDir, 'heaptrack.raw');
    io.log(`attribute: the same switches with heaptrack in the worker...`);
    const traced = await timed(() =>
      runScenario(config, scenario, {
        signal: io.signal,
        // Without the allocation ledger: heaptrack would see its hooks as the allocating frames.
        workerEnv: { LD_PRELOAD: heaptrack.preloadLibrary, DUMP_HEAPTRACK_OUTPUT: rawDump, [HEAP_MARKS_ENV]: '1', [LEDGER_ENV]: '0' },
      }),
    );
    failOn(traced.outcome);
    const read = await timed(() => readHeaptrackDump(heaptrack.interpreter, rawDump, HEAP_MARK_BYTES));
    // Every switch ends with a mark (after its destroy, or its chatllm_restart); a model the scenario
    // leaves loaded is destroyed after the last switch, with a mark of its own that ends no switch.
    const switchModels = traced.outcome.records.map((record) => record.modelKey);
    const dump = { ...read.outcome, liveCountsAtMarks: read.outcome.liveCountsAtMarks.slice(0, switchModels.length) };
    const growth = siteGrowth(dump, switchModels, engineModules(config));
    const models: ModelAttribution[] = growth.map((model) => {
      const heapSlope = heapSlopeBytesPerSwitch(plain.outcome.records.filter((record) => record.modelKey === model.modelKey));
      const covered = model.growingSites.reduce((sum, site) => sum + site.bytesPerSwitch, 0);
      return {
        ...model,
        label: config.models.find((m) => m.key === model.modelKey)?.label ?? model.modelKey,
        heapSlopeBytesPerSwitch: heapSlope,
        // Below the heap floor the slope is the worker's own drift: a share of it would mean nothing.
        coveredShare: heapSlope !== null && heapSlope >= MINIMUM_FLOOR_BYTES_PER_SWITCH.heapInUse ? covered / heapSlope : null,
      };
    });
    return { tool: 'heaptrack', switches, models, plainRunMs: plain.ms, tracedRunMs: traced.ms, interpretMs: read.ms };
  } finally {
    await rm(dumpDir, { recursive: true, force: true });
  }
}

function failOn(outcome: ScenarioOutcome): void {
  if (outcome.failure) throw engineError(`attribution run failed: ${outcome.failure.message}`);
}

async function timed<T>(work: () => Promise<T>): Promise<{ outcome: T; ms: number }> {
  const started = performance.now();
  const outcome = await work();
  return { outcome, ms: performance.now() - started };
}

/** The engine's own code: the library and the shared objects beside it (ggml's, in a chatllm.cpp build). */
function engineModules(config: RunConfig): (module: string) => boolean {
  const dirs = new Set([dirname(config.libraryPath)]);
  try {
    dirs.add(dirname(realpathSync(config.libraryPath)));
  } catch {
    // the worker loaded it, so it exists; a race with its removal only loses the realpath spelling
  }
  return (module) => dirs.has(dirname(module));
}

/**
 * Mean heap-in-use change (mallinfo2, after unload minus before load) of this model's own switches,
 * warm-up switch excluded: what its switches leave behind, free of the neighbour models' changes.
 */
function heapSlopeBytesPerSwitch(records: ModelIteration[]): number | null {
  const changes = records.slice(1).map((record) => {
    const before = record.phases.beforeLoad.heapInUseBytes;
    const after = record.phases.afterUnload.heapInUseBytes;
    return before === null || after === null ? null : after - before;
  });
  if (changes.length === 0 || changes.some((change) => change === null)) return null;
  return (changes as number[]).reduce((a, b) => a + b, 0) / changes.length;
}
