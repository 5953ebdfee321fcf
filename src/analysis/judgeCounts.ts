import { basename } from 'node:path';
import type { ProbeSample } from '../results/ProbeSample.js';
import type { LeftBehind, ModelIteration, RunResults } from '../results/RunResults.js';
import { MINIMUM_SWITCHES_FOR_LEAK } from './assessSignal.js';
import { attributeToModels } from './attributeToModels.js';
import { formatBytes } from '../units.js';
import { theilSen } from './theilSen.js';
import type { Verdict } from './Verdict.js';

/**
 * What an unload must give back, counted at every phase: open fds, threads, mappings of the model file.
 * Counts are judged as series after the run, like memory, so a one-time start-up thread is told apart
 * from an fd left open on every load.
 */
export type CountKind = 'fd' | 'thread' | 'mapping';

/**
 * - `leak`: the count rose at COUNT_LEAK_RISES or more switches and was still rising within the last
 *   COUNT_FLAT_SWITCHES (a mapping of the model file after unload is a leak the first time);
 * - `one-time`: it rose, then stayed level for COUNT_FLAT_SWITCHES switches or more (shown, not a failure);
 * - `undecided`: it rose, and too few switches followed to tell;
 * - `clean`: it ended no higher than it started, over COUNT_CLEAN_SWITCHES switches or more (fewer
 *   are undecided: no evidence yet that it does not leak).
 */
export type CountVerdict = 'leak' | 'one-time' | 'undecided' | 'clean';

/** Switches a count must stay level after its last rise to be called one-time. */
export const COUNT_FLAT_SWITCHES = 3;
/** Rises a count needs before it is called a leak. */
export const COUNT_LEAK_RISES = 3;
/**
 * Switches a count must be measured over to be called clean: as many as memory needs for a verdict
 * (MINIMUM_SWITCHES_FOR_LEAK). Over 4 switches with no net growth, a leak of one per load (4) or one
 * every other load (2) would have shown; over 2 a leak every third load could still be hiding.
 */
export const COUNT_CLEAN_SWITCHES = MINIMUM_SWITCHES_FOR_LEAK;

/** The verdict on one count of one model, with the names of what stayed. */
export interface CountFinding {
  kind: CountKind;
  modelKey: string;
  label: string;
  verdict: CountVerdict;
  /** Theil–Sen slope of the count per switch (mappings: unloads that left the file mapped per switch). */
  perSwitch: number;
  /** The count after the last unload minus the count before the first load. */
  growth: number;
  switches: number;
  /** First iteration whose unload left one behind; null when none did. */
  firstIteration: number | null;
  /** What stayed, most frequent first, e.g. "the model file /m/x.bin stays open (10 of 10 unloads)". */
  leftBehind: string[];
  /** For `undecided`: how many more switches would decide it. */
  moreSwitchesNeeded: number | null;
  /** One line: verdict, rate and what stayed. */
  message: string;
}

/** A count verdict's weight in the run verdict: a leak is a leak, one-time is not. */
export const COUNT_VERDICT_WEIGHT: Readonly<Record<CountVerdict, Verdict>> = {
  leak: 'leak',
  undecided: 'undecided',
  'one-time': 'clean',
  clean: 'clean',
};

/** The judgement of one count series: the count before the first load, then after each unload. */
export interface CountSeriesJudgement {
  verdict: CountVerdict;
  perSwitch: number;
  growth: number;
  switches: number;
  moreSwitchesNeeded: number | null;
}

/** Judges a count series (see CountVerdict). `values[0]` is the count before the first load. */
export function judgeCountSeries(values: readonly number[]): CountSeriesJudgement {
  const switches = Math.max(0, values.length - 1);
  const growth = switches > 0 ? (values[switches] as number) - (values[0] as number) : 0;
  const perSwitch =
    switches > 0
      ? theilSen(
          values.map((_, i) => i),
          values,
        ).slope
      : 0;
  const base = { perSwitch, growth, switches };
  const rises: number[] = [];
  for (let i = 1; i <= switches; i++) if ((values[i] as number) > (values[i - 1] as number)) rises.push(i);
  if (rises.length === 0 || growth <= 0) {
    return switches >= COUNT_CLEAN_SWITCHES
      ? { verdict: 'clean', ...base, moreSwitchesNeeded: null }
      : { verdict: 'undecided', ...base, moreSwitchesNeeded: COUNT_CLEAN_SWITCHES - switches };
  }
  const levelSince = switches - (rises.at(-1) as number);
  if (rises.length >= COUNT_LEAK_RISES && levelSince < COUNT_FLAT_SWITCHES) return { verdict: 'leak', ...base, moreSwitchesNeeded: null };
  if (levelSince >= COUNT_FLAT_SWITCHES) return { verdict: 'one-time', ...base, moreSwitchesNeeded: null };
  const toLevel = COUNT_FLAT_SWITCHES - levelSince;
  const toLeak = COUNT_LEAK_RISES - rises.length;
  return { verdict: 'undecided', ...base, moreSwitchesNeeded: Math.max(1, Math.min(toLevel, toLeak)) };
}

interface CountSpec {
  kind: 'fd' | 'thread';
  read: (sample: ProbeSample) => number;
  noun: readonly [string, string];
  names: (left: LeftBehind) => string[];
  describe: (name: string, modelPath: string) => string;
}

/** The counts judged as series, in report order. */
const COUNT_SPECS: readonly CountSpec[] = [
  {
    kind: 'fd',
    read: (s) => s.openFds,
    noun: ['fd', 'fds'],
    names: (left) => left.fds,
    describe: (target, modelPath) =>
      target === modelPath || basename(target) === basename(modelPath) ? `the model file ${target} stays open` : `${target} stays open`,
  },
  {
    kind: 'thread',
    read: (s) => s.threads,
    noun: ['thread', 'threads'],
    names: (left) => left.threads,
    describe: (name) => `a thread named "${name}" keeps running`,
  },
];

const perSwitchText = (value: number, noun: readonly [string, string]): string =>
  `${value >= 0 ? '+' : ''}${value.toFixed(1)} ${Math.abs(value) === 1 ? noun[0] : noun[1]}/switch`;

/** "the model file /m/x.bin stays open (10 of 10 unloads)", most frequent first. */
function namesOf(records: readonly ModelIteration[], spec: CountSpec, modelPath: string): string[] {
  const tally = new Map<string, number>();
  for (const r of records) for (const name of r.leftBehind ? spec.names(r.leftBehind) : []) tally.set(name, (tally.get(name) ?? 0) + 1);
  return [...tally.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, times]) => `${spec.describe(name, modelPath)} (${times} of ${records.length} unloads)`);
}

function countMessage(label: string, spec: CountSpec, j: CountSeriesJudgement, names: string[]): string {
  const what = names.length > 0 ? `: ${names.slice(0, 3).join('; ')}` : '';
  const [one, many] = spec.noun;
  switch (j.verdict) {
    case 'leak':
      return `${one} leak: ${perSwitchText(j.perSwitch, spec.noun)} over ${j.switches} switches (${label})${what}`;
    case 'one-time':
      return `${label}: ${j.growth} more ${j.growth === 1 ? one : many} after the first switches, then level: one-time, not a leak${what}`;
    case 'undecided':
      return j.growth > 0
        ? `${label}: ${many} rose by ${j.growth} over ${j.switches} switches: undecided (run at least ${j.moreSwitchesNeeded} more)${what}`
        : `${label}: ${many} back to their level, but over ${j.switches} switches only: undecided (run at least ` +
            `${j.moreSwitchesNeeded} more)`;
    case 'clean':
      return `${label}: ${many} back to their level after every unload`;
  }
}

/**
 * Judges the fd and thread counts of every model (after-unload series, with the other models' switch
 * changes taken out as for memory: see attributeToModels) and the model-file mappings (a mapping still
 * there after unload is a leak from the first time). Only destroying unloads count: a restart keeps
 * its model loaded on purpose.
 */
export function judgeCounts(results: RunResults): CountFinding[] {
  const records = results.records.filter((r) => r.unloadStep === 'destroy');
  const findings: CountFinding[] = [];
  for (const model of results.models) {
    const own = records.filter((r) => r.modelKey === model.key);
    if (own.length === 0) continue;
    for (const spec of COUNT_SPECS) {
      const levels = attributeToModels(
        records.map((r) => ({
          modelKey: r.modelKey,
          beforeLoadBytes: spec.read(r.phases.beforeLoad),
          afterUnloadBytes: spec.read(r.phases.afterUnload),
        })),
      ).get(model.key)!;
      const j = judgeCountSeries([levels.beforeLoadBytes[0] as number, ...levels.afterUnloadBytes]);
      const names = j.verdict === 'clean' ? [] : namesOf(own, spec, model.path);
      const first = own.find((r) => spec.read(r.phases.afterUnload) > spec.read(r.phases.beforeLoad));
      findings.push({
        kind: spec.kind,
        modelKey: model.key,
        label: model.label,
        ...j,
        firstIteration: first?.iteration ?? null,
        leftBehind: names,
        message: countMessage(model.label, spec, j, names),
      });
    }
    findings.push(judgeMappings(model.key, model.label, model.path, own));
  }
  return findings;
}

/**
 * The model file must be gone from /proc/PID/maps after unload: one unload that leaves it mapped is a
 * leak; clean takes COUNT_CLEAN_SWITCHES unloads that all unmapped it.
 */
function judgeMappings(modelKey: string, label: string, path: string, own: readonly ModelIteration[]): CountFinding {
  const kept = own.filter((r) => r.phases.afterUnload.modelMappings > 0);
  const first = kept[0];
  const bytes = first?.phases.afterUnload.modelMappedBytes;
  const what = first
    ? [
        `the model file ${path} stays mapped (${first.phases.afterUnload.modelMappings} mappings` +
          `${bytes ? `, ${formatBytes(bytes)}` : ''}) after ${kept.length} of ${own.length} unloads`,
      ]
    : [];
  const enough = own.length >= COUNT_CLEAN_SWITCHES;
  const more = COUNT_CLEAN_SWITCHES - own.length;
  return {
    kind: 'mapping',
    modelKey,
    label,
    verdict: first ? 'leak' : enough ? 'clean' : 'undecided',
    perSwitch: kept.length / Math.max(1, own.length),
    growth: kept.length,
    switches: own.length,
    firstIteration: first?.iteration ?? null,
    leftBehind: what,
    moreSwitchesNeeded: first || enough ? null : more,
    message: first
      ? `mapping leak: ${what[0]} (${label}, from iteration ${first.iteration})`
      : enough
        ? `${label}: the model file is unmapped after every unload`
        : `${label}: the model file is unmapped after every unload, but over ${own.length} only: undecided (run at least ${more} more)`,
  };
}
