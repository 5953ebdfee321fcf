/**
 * Every way a run ends is recorded, and the gate refuses what did not finish: SIGTERM and SIGHUP
 * (a cancelled CI job, a closed terminal) and a disk that fills mid-run, through the real CLI. Two runs
 * on one results file: the second stops before measuring and the first's results are intact.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { findMemoryCgroup, readOomKillCount } from '../../src/system/memoryCgroup.js';
import { readResultsFile } from '../../src/pipelines/readResultsFile.js';
import { journalPathOf } from '../../src/results/ResultsJournal.js';
import type { RunResults } from '../../src/results/RunResults.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli, startCli, waitFor } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';
import { readResults, recordsIn } from '../support/resultsFiles.js';
import { KIB, MIB } from '../../src/units.js';

const TIMEOUT_MS = 60_000;
const dir = refModelDir();
const mounted: string[] = [];
const cgroups: string[] = [];
afterAll(() => {
  for (const mount of mounted) spawnSync('umount', [mount]);
  for (const cgroup of cgroups) spawnSync('rmdir', [cgroup]);
  dir.cleanup();
});

const gate = (file: string) => runCli(['gate', file], { timeoutMs: TIMEOUT_MS });

describe.concurrent('leakgate run: stopped by a signal', () => {
  const rows: [NodeJS.Signals, number][] = [
    ['SIGTERM', ExitCode.terminated],
    ['SIGHUP', ExitCode.hangup],
  ];
  for (const [signal, exitCode] of rows) {
    it(`${signal}: one line, exit ${exitCode}, failure recorded as terminated; gate fails the file`, async () => {
      const model = await dir.model(`slow-${signal}`, { ttftMs: 100 });
      const out = join(dir.dir, `${signal}.json`);
      const cli = startCli(['run', '--model', model, '--iterations', '50', '--out', out], { timeoutMs: TIMEOUT_MS });
      await waitFor(() => recordsIn(out) >= 1, 40_000, 'one iteration in the results file');
      cli.child.kill(signal);
      const result = await cli.done;
      expectCliOutcome(result, {
        exitCode,
        error: [`terminated by ${signal} during iteration`, 'results so far are kept'],
        outDir: dir.dir,
      });
      const results = readResults(out);
      expect(results.status).toBe('failed');
      expect(results.failure).toMatchObject({ kind: 'terminated', signal });
      expect(results.finishedAt).not.toBeNull();
      expect(results.records.length).toBeGreaterThanOrEqual(1);
      expect(existsSync(`${out}.lock`)).toBe(false);

      const judged = await gate(out);
      expectCliOutcome(judged, { exitCode: ExitCode.gateFailed });
      expect(judged.stdout).toContain(`[failure] terminated by ${signal}`);
    });
  }
});

/** A node that runs under a file-size limit of `kib` KiB (bash's ulimit -f counts 1024-byte blocks). */
function nodeWithFileSizeLimit(kib: number): string {
  const wrapper = join(dir.dir, `node-ulimit-${kib}k`);
  writeFileSync(wrapper, `#!/bin/bash\nulimit -f ${kib}\nexec ${JSON.stringify(process.execPath)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/** A 1 MiB tmpfs, or null with the reason it cannot be mounted here. */
function smallTmpfs(): { path: string } | { skip: string } {
  const path = join(dir.dir, 'tmpfs');
  mkdirSync(path, { recursive: true });
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', path], { encoding: 'utf8' });
  if (mount.status !== 0) return { skip: `cannot mount a tmpfs here (${(mount.stderr || mount.error?.message || '').trim()})` };
  mounted.push(path);
  return { path };
}

describe.concurrent('leakgate run: the disk fills mid-run', () => {
  it('a file-size limit (ulimit -f) reached after a few switches: exit 4, the failure recorded, gate fails the file', async () => {
    const model = await dir.model('filling');
    const out = join(dir.dir, 'limited.json');
    // The journal (~1 KiB of header plus ~1.4 KiB per switch) fills 12 KiB after about eight switches, not 10;
    // the results file (pretty JSON, ~2.3 KiB per switch) cannot hold them, so they stay in the journal.
    const result = await runCli(['run', '--model', model, '--iterations', '10', '--out', out], {
      timeoutMs: TIMEOUT_MS,
      node: nodeWithFileSizeLimit(12),
    });
    expectCliOutcome(result, {
      exitCode: ExitCode.environment,
      error: [`cannot write the results file ${out}: EFBIG`, 'ulimit -f', 'the run stopped after', `kept in ${journalPathOf(out)}`],
      outDir: dir.dir,
    });
    // What analyze, report and gate read: the journal, unfinished (its end recorded when there was room).
    const { results } = (await readResultsFile(out)) as { results: RunResults };
    expect(results.status === 'running' || results.failure?.kind === 'write-failed', results.status).toBe(true);
    expect(results.records.length).toBeGreaterThanOrEqual(1);
    expect(results.records.length).toBeLessThan(10);
    expect(results.records.map((record) => record.iteration)).toEqual(results.records.map((_, i) => i + 1));
    expect((await gate(out)).exitCode).toBe(ExitCode.gateFailed);
  });

  const tmpfs = smallTmpfs();
  it.skipIf('skip' in tmpfs)(
    `a full tmpfs: exit 4, the file is valid and the gate fails it${'skip' in tmpfs ? ` — skipped: ${tmpfs.skip}` : ''}`,
    async () => {
      const root = (tmpfs as { path: string }).path;
      // Fill the 1 MiB disk but for 32 KiB: room for the first switches only (a save needs the old file and the new).
      writeFileSync(join(root, 'ballast'), Buffer.alloc(MIB - 32 * KIB));
      const model = await dir.model('tmpfs-filling');
      const out = join(root, 'results.json');
      const result = await runCli(['run', '--model', model, '--iterations', '10', '--out', out], { timeoutMs: TIMEOUT_MS });
      expectCliOutcome(result, {
        exitCode: ExitCode.environment,
        error: [`cannot write the results file ${out}`, /free|ENOSPC/],
        outDir: root,
      });
      // Whatever could be written is valid and the gate refuses it: the results file with the failure
      // recorded, or the journal beside it (its end recorded when there was room).
      const { results } = (await readResultsFile(out)) as { results: RunResults };
      expect(results.status === 'running' || results.failure?.kind === 'write-failed').toBe(true);
      expect(results.records.length).toBeGreaterThanOrEqual(1);
      expect((await gate(out)).exitCode).toBe(ExitCode.gateFailed);
    },
  );
});

/**
 * A child memory cgroup of the test's own (cgroup v1 or v2) with a limit of `limitBytes`, and a node
 * that moves itself into it; or the reason none can be made here.
 */
function memoryCgroupNode(limitBytes: number): { node: string; dir: string } | { skip: string } {
  const own = findMemoryCgroup();
  if (!own) return { skip: 'no memory cgroup to read' };
  const cgroup = join(own.dir, `leakgate-test-${process.pid}`);
  try {
    mkdirSync(cgroup);
    writeFileSync(join(cgroup, own.version === 2 ? 'memory.max' : 'memory.limit_in_bytes'), String(limitBytes));
    // No swap to escape into: the limit must end in the OOM killer.
    try {
      writeFileSync(
        join(cgroup, own.version === 2 ? 'memory.swap.max' : 'memory.memsw.limit_in_bytes'),
        own.version === 2 ? '0' : String(limitBytes),
      );
    } catch {
      // no swap accounting: nothing to limit
    }
  } catch (error) {
    return { skip: `cannot create a memory cgroup under ${own.dir} (${(error as Error).message.split('\n')[0]})` };
  }
  cgroups.push(cgroup);
  const node = join(dir.dir, 'node-in-cgroup');
  writeFileSync(
    node,
    `#!/bin/bash\necho $$ > ${JSON.stringify(join(cgroup, 'cgroup.procs'))}\nexec ${JSON.stringify(process.execPath)} "$@"\n`,
  );
  chmodSync(node, 0o755);
  return { node, dir: cgroup };
}

describe('leakgate run: out of memory', () => {
  const cgroup = memoryCgroupNode(300 * MIB);
  it.skipIf('skip' in cgroup)(
    `a worker killed by the OOM killer is reported as out of memory (exit 4), not as an engine crash` +
      `${'skip' in cgroup ? ` — skipped: ${cgroup.skip}` : ''}`,
    async () => {
      const { node } = cgroup as { node: string };
      const model = await dir.model('greedy', { heapBytes: 600 * MIB });
      const out = join(dir.dir, 'oom.json');
      const result = await runCli(['run', '--model', model, '--iterations', '2', '--out', out], { timeoutMs: TIMEOUT_MS, node });
      expectCliOutcome(result, {
        exitCode: ExitCode.environment,
        error: [
          "out of memory: the kernel's OOM killer killed the worker (SIGKILL)",
          'iteration 1, load',
          "memory cgroup's limit is 300 MiB",
        ],
        outDir: dir.dir,
      });
      expect(result.stderr).not.toContain('engine crashed');
      expect(readResults(out).failure).toMatchObject({ kind: 'out-of-memory', step: 'load' });

      const doctor = await runCli(['doctor', '--model', model], { timeoutMs: TIMEOUT_MS, node });
      expect(doctor.stdout).toMatch(/memory cgroup limit 300 ?MiB, free in it/);
    },
  );
});

describe.concurrent("baseline update: the worker killed by SIGKILL (the OOM killer's signal, planted: no cgroup needed)", () => {
  // What the message may claim depends on this machine's memory cgroup: v2 counts every OOM kill
  // (memory.events), so a kill it did not count is not the OOM killer's; elsewhere the OOM killer stays likely.
  const cgroup = findMemoryCgroup();
  const ruledOut = cgroup?.version === 2 && readOomKillCount(cgroup) !== null;
  const killedLine = ruledOut
    ? 'the worker was killed by SIGKILL, not counted as an OOM kill by its memory cgroup'
    : 'the worker was killed by SIGKILL: the OOM killer if memory ran out';
  const fix = ruledOut ? 'another process likely killed it' : 'free memory or run smaller models, then rerun';

  for (const accept of [[], ['--accept', 'known'], ['--accept-failure', 'known']]) {
    it(`${accept[0] ?? 'no --accept'}: no baseline, one line naming the kill and the fix, exit 4, the switches measured kept`, async () => {
      const name = `killed${accept[0]?.replace(/^--/, '-') ?? ''}`;
      const killed = await dir.model(name, { crash: { step: 'infer', iteration: 3, kind: 'kill' } });
      const out = join(dir.dir, `${name}.json`);
      const baseline = join(dir.dir, `${name}-baseline.json`);
      const result = await runCli(
        ['baseline', 'update', '--model', killed, '--iterations', '5', '--out', out, '--baseline', baseline, ...accept],
        { timeoutMs: TIMEOUT_MS },
      );
      expectCliOutcome(result, {
        exitCode: ExitCode.environment,
        error: [`baseline not written (${baseline} is unchanged)`, killedLine, 'iteration 3, infer', fix, `kept in ${out}`],
        outDir: dir.dir,
      });
      // never offered as a known failure or an accepted run
      expect(result.stderr).not.toContain('--accept');
      expect(result.stderr).not.toContain('engine was killed');
      expect(existsSync(baseline)).toBe(false);
      const results = readResults(out);
      expect(results.failure).toMatchObject({ kind: 'killed', step: 'infer', iteration: 3, signal: 'SIGKILL' });
      expect(results.records).toHaveLength(2);
    });
  }

  it('run: the same line and exit 4; the gate fails its results (exit 1), never as an engine crash', async () => {
    const killed = await dir.model('killed-run', { crash: { step: 'load', iteration: 2, kind: 'kill' } });
    const out = join(dir.dir, 'killed-run.json');
    const result = await runCli(['run', '--model', killed, '--iterations', '4', '--out', out], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(result, { exitCode: ExitCode.environment, error: [killedLine, 'iteration 2, load', fix], outDir: dir.dir });
    expect(readResults(out).failure).toMatchObject({ kind: 'killed', step: 'load' });
    const judged = await gate(out);
    expectCliOutcome(judged, { exitCode: ExitCode.gateFailed });
    expect(judged.stdout).toContain(`[failure] ${killedLine}`);
  });
});

describe('leakgate run: two runs on one results file', () => {
  it('the second exits 2 naming the first (pid) before measuring; the first finishes with its own results', async () => {
    const first = await dir.model('first', { ttftMs: 100 });
    const second = await dir.model('second');
    const out = join(dir.dir, 'shared.json');
    const cli = startCli(['run', '--model', first, '--iterations', '8', '--out', out], { timeoutMs: TIMEOUT_MS });
    await waitFor(() => recordsIn(out) >= 1, 40_000, 'one iteration of the first run');
    const other = await runCli(['run', '--model', second, '--iterations', '2', '--out', out], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(other, {
      exitCode: ExitCode.usage,
      error: [`another leakgate run (pid ${cli.child.pid}) is writing the results file ${out}`, '--out'],
      noWorker: true,
    });
    const result = await cli.done;
    expectCliOutcome(result, { exitCode: ExitCode.ok, outDir: dir.dir });
    const results = readResults(out);
    expect(results.status).toBe('complete');
    expect(results.models.map((model) => model.path)).toEqual([first]);
    expect(results.records).toHaveLength(8);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it('a lock left by a process that is gone is taken over', async () => {
    const model = await dir.model('stale');
    const out = join(dir.dir, 'stale.json');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${out}.lock`, `${dead.stdout}\n`);
    const result = await runCli(['run', '--model', model, '--iterations', '5', '--out', out], { timeoutMs: TIMEOUT_MS });
    expectCliOutcome(result, { exitCode: ExitCode.ok, outDir: dir.dir });
    expect(readResults(out).records).toHaveLength(5);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });
});
