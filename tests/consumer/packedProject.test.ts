/**
 * leakgate as another project uses it: `npm pack` (prepack compiles dist/), then a fresh project with
 * only vitest and the tarball (installed from npm's cache, else the registry) runs the README's
 * "Use it in your project" test file. It must type-check with the project's own `tsc` (no es2023 lib,
 * skipLibCheck off), measure its baseline into the project (nothing under node_modules/ but the native
 * helpers' cache), pass on the reference engine, and fail on a leaky reference model naming the model
 * and the signal.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../../src/gate/metrics.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const VITEST_VERSION = (require('vitest/package.json') as { version: string }).version;
const TSC = require.resolve('typescript/bin/tsc');
/** Few switches: the reference engine's planted leak (4 MiB per load) is plain after 8. */
const ITERATIONS = '8';

interface Outcome {
  code: number;
  output: string;
}

/** Runs a command; resolves with its exit code and stdout + stderr (never rejects on a non-zero exit). */
function exec(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  // npm's own variables (npm test sets npm_config_*, npm_lifecycle_*) must not steer the project's npm.
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...base, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** The test file a user copies: the README's first ```ts block under "Use it in your project". */
function readmeTestFile(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it in your project'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md: no ```ts block under "## Use it in your project"');
  return block[1]!;
}

/** Files under `dir` (recursively) changed after `sinceMs`, relative to `dir`. */
function changedSince(dir: string, sinceMs: number): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && statSync(join(entry.parentPath, entry.name)).mtimeMs > sinceMs)
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/**
 * The public API as a project uses it, for its tsc only (vitest runs *.test.ts): the pipelines, their
 * option and outcome types, the matchers on expect. The @ts-expect-error lines fail the check if the
 * types were `any` (a declaration that did not resolve).
 */
const API_USE = `import { expect } from 'vitest';
import { analyzeResults, compare, evaluateGate, ExitCode, LeakgateError, readBaseline, readResultsFile, run } from 'leakgate';
import type { CompareOptions, GateOptions, RunOptions, RunOutcome } from 'leakgate';
import { describeLeakGate, testRunIO, type LeakGateOptions } from 'leakgate/vitest';

export async function gateOnce(options: RunOptions & GateOptions): Promise<RunOutcome> {
  const outcome = await run(options, testRunIO());
  expect(outcome).toHaveNoLeak();
  expect(outcome).toPassGate();
  const analysis = analyzeResults(outcome.results);
  const gate = evaluateGate(outcome.results, analysis, await readBaseline(outcome.baselineFile));
  if (!gate.passed) throw new LeakgateError(gate.violations.map((v) => v.message).join('; '), ExitCode.gateFailed);
  return outcome;
}

export async function bump(options: CompareOptions): Promise<boolean> {
  const { comparison } = await compare(options, testRunIO());
  const file = await readResultsFile('results/model_switch_results.json');
  return comparison.rows.every((row) => row.status !== 'fail') && file.format === 'leakgate';
}

const options: LeakGateOptions = { iterations: 30, baselinesDir: 'gates', models: ['a.bin', 'b.bin'] };
describeLeakGate(options);
// @ts-expect-error iterations is a number
describeLeakGate({ iterations: 'many' });
// @ts-expect-error toHaveNoLeak takes no argument
expect({}).toHaveNoLeak(1);
`;

const scratch = mkdtempSync(join(tmpdir(), 'leakgate-consumer-'));
const project = join(scratch, 'project');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('leakgate packed and used by another project', () => {
  let installedMs = 0;

  beforeAll(async () => {
    const packed = await exec('npm', ['pack', '--pack-destination', scratch], REPO_ROOT);
    expect(packed.code, packed.output).toBe(0);
    const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    expect(tarball, 'npm pack wrote no tarball').toBeDefined();

    mkdirSync(join(project, 'tests'), { recursive: true });
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
    // A project's own strict settings: ES2022's lib (no findLast), and its tsc checks leakgate's declarations.
    const compilerOptions = {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    };
    writeFileSync(join(project, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, include: ['tests'] }, null, 2)}\n`);
    writeFileSync(join(project, 'tests', 'leak.test.ts'), readmeTestFile());
    writeFileSync(join(project, 'tests', 'api.ts'), API_USE);
    const installed = await exec(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', `vitest@${VITEST_VERSION}`, join(scratch, tarball!)],
      project,
    );
    expect(installed.code, installed.output).toBe(0);
    installedMs = Date.now();
  }, 600_000);

  it('ships what runs, and nothing of the repository besides', () => {
    const root = join(project, 'node_modules', 'leakgate');
    for (const path of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/vitest/index.js',
      'dist/vitest/index.d.ts',
      'native/refengine/refengine.c',
      'native/crashstack/crashstack.c',
    ]) {
      expect(existsSync(join(root, path)), path).toBe(true);
    }
    for (const path of ['src', 'tests', 'baselines', 'Dockerfile', '.github', 'docs', 'scripts']) {
      expect(existsSync(join(root, path)), `${path} is shipped`).toBe(false);
    }
  });

  it("type-checks with the project's tsc: the README's file and the public API", async () => {
    const checked = await exec(process.execPath, [TSC, '-p', project], project);
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
  }, 300_000);

  it('baseline update writes the baseline into the project, nothing into node_modules but the native cache', async () => {
    const updated = await exec('npx', ['--no-install', 'leakgate', 'baseline', 'update', '--iterations', ITERATIONS], project);
    expect(updated.code, updated.output).toBe(0);
    expect(updated.output).toContain('Baseline written: baselines/reference/');
    expect(readdirSync(join(project, 'baselines', 'reference'), { recursive: true }).some((name) => String(name).endsWith('.json'))).toBe(
      true,
    );
    const written = changedSince(join(project, 'node_modules'), installedMs).filter((path) => !path.startsWith(join('.cache', 'leakgate')));
    expect(written).toEqual([]);
    expect(updated.output).toMatch(
      /first use: compiling the reference engine, crash-stack helper and allocation ledger into \S*node_modules\/\.cache\/leakgate\//,
    );
  }, 300_000);

  it('the test file passes on the reference engine, against that baseline', async () => {
    const tested = await exec('npx', ['--no-install', 'vitest', 'run'], project, { ITERATIONS });
    expect(tested.code, tested.output).toBe(0);
    // describeLeakGate declares a test per gate metric and 12 more for two models: every one ran and passed.
    expect(tested.output).toMatch(new RegExp(String.raw`Tests\s+\S*\s*${12 + METRICS.length} passed`));
  }, 300_000);

  it('the test file fails on a leaky reference model, naming the model and the signal', async () => {
    mkdirSync(join(project, 'models'));
    for (const [name, flags] of [
      ['leaky', ['--leak-per-load', '4MiB']],
      ['clean', []],
    ] as const) {
      const made = await exec(
        'npx',
        ['--no-install', 'leakgate', 'make-ref-model', `models/${name}.bin`, '--size', '2MiB', ...flags],
        project,
      );
      expect(made.code, made.output).toBe(0);
    }
    const tested = await exec('npx', ['--no-install', 'vitest', 'run'], project, {
      ITERATIONS,
      LEAKGATE_MODELS: 'models/leaky.bin,models/clean.bin',
    });
    expect(tested.code, tested.output).toBe(1);
    expect(tested.output).toMatch(/model leaky > verdict: no leak beyond what the baseline tolerates/);
    expect(tested.output).toMatch(/leaky leaks: (engineHeap|heapInUse): leak, .*4\.0 MiB\/switch/);
    expect(tested.output).not.toMatch(/model clean > verdict/);
    expect(tested.output).toContain(
      'no baseline at baselines/reference/linux-x64/switch--leaky+clean.json: measure one with npx leakgate baseline update',
    );
  }, 300_000);
});
