import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunOptions } from '../config/RunOptions.js';
import { resolveRunConfig } from '../config/resolveRunConfig.js';
import type { Comparison } from '../gate/evaluateGate.js';
import { METRICS } from '../gate/metrics.js';
import { describeComparison } from '../report/formatGate.js';
import type { LeakgateIO } from '../LeakgateIO.js';
import { run, type GateOptions, type RunOutcome } from '../pipelines/run.js';
import { testRunIO } from './testRunIO.js';
import './matchers.js';

/** What `describeLeakGate` runs and gates: `leakgate run`'s options, and where the project is. */
export interface LeakGateOptions extends RunOptions, Pick<GateOptions, 'baseline' | 'baselinesDir' | 'report' | 'attribute'> {
  /** A fixed number of iterations. @default $ITERATIONS, else until every verdict is decided (at most maxIterations) */
  iterations?: number;
  /** The project folder: baselines, results and relative paths resolve against it. @default process.cwd() (where vitest runs) */
  root?: string;
  /** Results JSON. @default model_switch_results.json in $LEAKGATE_RESULTS_DIR, else in a new temporary folder */
  out?: string;
  /** The run's IO. @default testRunIO(root): the report on stderr */
  io?: LeakgateIO;
  /** Name of the describe block. @default "leak gate: <scenario> scenario" */
  name?: string;
  /** How long the run (the beforeAll hook) may take. @default 30 minutes (RUN_TIMEOUT_MS) */
  timeoutMs?: number;
}

/** The run is the whole benchmark: until decided takes seconds on the reference engine, minutes on 1.7B models. */
const RUN_TIMEOUT_MS = 30 * 60_000;

/**
 * Declares the leak gate as vitest tests: the scenario runs once (beforeAll), judged and compared with
 * the project's baseline; then one test per model verdict, per count (fds, threads, mappings) of each
 * model, for the process as a whole, per baseline metric and for the gate as a whole, so vitest's
 * output, its GitHub annotations and the job summary name the model and metric that failed.
 * The models are resolved at collection (the engine and models as `leakgate run` resolves them:
 * LIBCHATLLM, LEAKGATE_MODELS, by default the reference engine on two generated models).
 */
export function describeLeakGate(options: LeakGateOptions = {}): void {
  const { root: rootOption, io: ioOption, name, timeoutMs, baseline, baselinesDir, report, attribute, ...runOptions } = options;
  const root = resolve(rootOption ?? process.cwd());
  const io = ioOption ?? testRunIO(root);
  const out =
    runOptions.out ?? join(io.env.LEAKGATE_RESULTS_DIR ?? mkdtempSync(join(tmpdir(), 'leakgate-gate-')), 'model_switch_results.json');
  const settings = { ...runOptions, out, baseline, baselinesDir, report, attribute };

  describe(name ?? `leak gate: ${runOptions.scenario ?? 'switch'} scenario`, async () => {
    // Resolved now, without running anything, so there is one test per model; run() resolves the same way.
    const config = await resolveRunConfig(settings, io.env, root);
    let outcome: RunOutcome;
    beforeAll(async () => {
      outcome = await run(settings, { ...io, cwd: root });
    }, timeoutMs ?? RUN_TIMEOUT_MS);
    const gate = () => outcome.gate;
    const noBaseline = (): string =>
      `no baseline at ${relative(root, outcome.baselineFile) || outcome.baselineFile}: measure one with ` +
      `${baselineUpdateCommand(settings, root, outcome.baselineFile)} (same engine, platform and models)`;
    /** The comparisons of one metric; a metric test without a baseline would pass on nothing, so it fails saying so. */
    const comparisonsOf = (metric: string): Comparison[] => {
      expect(gate().baseline, `${metric}: ${noBaseline()}`).not.toBeNull();
      return gate().comparisons.filter((c) => c.metric === metric);
    };
    const failing = (comparisons: Comparison[]): string =>
      comparisons
        .filter((c) => c.status === 'fail')
        .map((c) => `${c.label} ${c.metric}: ${describeComparison(c)}`)
        .join('\n');

    it('has a baseline to hold the run to', () => {
      expect(gate().baseline, noBaseline()).not.toBeNull();
    });

    it('ran to the end, or failed exactly as the baseline accepts', () => {
      const violation = gate().violations.find((v) => v.kind === 'failure' || v.kind === 'incomplete' || v.kind === 'known-failure-gone');
      expect(violation?.message ?? null, violation?.message).toBeNull();
    });

    describe.each(config.models.map((model) => [model.label, model.key] as const))('model %s', (label, modelKey) => {
      it('verdict: no leak beyond what the baseline tolerates, and decided', () => {
        const leak = gate().violations.find(
          (v) => (v.kind === 'leak' || v.kind === 'undecided') && v.modelKey === modelKey && v.label !== 'process',
        );
        const judgement = outcome.analysis.judgement.models.find((m) => m.modelKey === modelKey);
        expect(judgement, `${label} was not judged`).toBeDefined();
        expect(leak?.message ?? null, `${label}: ${leak?.message}\n${judgement?.explanations.join('\n') ?? ''}`).toBeNull();
      });

      for (const kind of ['fd', 'thread', 'mapping'] as const) {
        it(`count: no ${kind} leak, nothing undecided`, () => {
          const finding = outcome.analysis.judgement.counts.find((c) => c.kind === kind && c.modelKey === modelKey);
          expect(finding, `${label}: ${kind} was not counted`).toBeDefined();
          expect(['clean', 'one-time'], finding!.message).toContain(finding!.verdict);
        });
      }
    });

    for (const metric of METRICS.filter((m) => m.scope === 'model')) {
      it(`metric ${metric.name}: every model within its tolerance`, () => {
        const comparisons = comparisonsOf(metric.name);
        expect(comparisons.length, `${metric.name} was not compared`).toBe(config.models.length);
        expect(failing(comparisons), failing(comparisons)).toBe('');
      });
    }

    for (const metric of METRICS.filter((m) => m.scope === 'run')) {
      it(`run-level ${metric.name}: within its tolerance`, () => {
        expect(failing(comparisonsOf(metric.name))).toBe('');
      });
    }

    it('the process as a whole: no leak, decided', () => {
      const process = gate().violations.find((v) => (v.kind === 'leak' || v.kind === 'undecided') && v.label === 'process');
      expect(process?.message ?? null, process?.message).toBeNull();
    });

    it('the gate as a whole passes', () => {
      expect(outcome).toPassGate();
    });
  });
}

/**
 * The command that measures this gate's baseline, run in the project folder: `npx leakgate baseline
 * update` with the options that choose what is measured and where the baseline goes.
 */
export function baselineUpdateCommand(
  options: RunOptions & Pick<GateOptions, 'baseline' | 'baselinesDir'>,
  root: string,
  baselineFile?: string,
): string {
  const quote = (value: string): string => (/^[\w./+:=@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
  const path = (value: string): string => quote(relative(root, resolve(root, value)) || '.');
  const args: string[] = [];
  if (options.lib !== undefined) args.push('--lib', path(options.lib));
  for (const model of options.models ?? []) args.push('--model', path(model));
  if (options.iterations !== undefined) args.push('--iterations', String(options.iterations));
  if (options.scenario !== undefined) args.push('--scenario', quote(options.scenario));
  if (options.audio !== undefined) args.push('--audio', path(options.audio));
  if (options.trim) args.push('--trim');
  // A configured file or folder: the command names the file (the CLI's default is under baselines/).
  const file = options.baseline ?? (options.baselinesDir !== undefined ? baselineFile : undefined);
  if (file !== undefined) args.push('--baseline', path(file));
  return ['npx leakgate baseline update', ...args].join(' ');
}
