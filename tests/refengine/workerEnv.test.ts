/**
 * The worker's environment is the run's, whole and only: what `run()` was called with (a test's
 * `testRunIO(cwd, env)`), never the host process's, read back from /proc/PID/environ of the worker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/pipelines/run.js';
import { quietIO, refModelDir } from '../support/refModels.js';

const dir = refModelDir();
afterAll(dir.cleanup);

/** The environments of this process's worker children (workerMain), read while they run. */
function workerEnvironments(): Map<number, Map<string, string>> {
  const found = new Map<number, Map<string, string>>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid || !readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('workerMain')) continue;
      // the ledger edits its own LD_PRELOAD entry in place (children do not inherit it): skip what is left of it
      const pairs = readFileSync(`/proc/${entry}/environ`, 'utf8')
        .split('\0')
        .filter((pair) => pair.includes('='));
      found.set(Number(entry), new Map(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])));
    } catch {
      // gone between the listing and the read
    }
  }
  return found;
}

describe('the worker runs in the run’s environment', () => {
  it('run() with env: {...} gives the worker exactly that (plus the ledger preload), nothing of the host’s', async () => {
    const model = await dir.model('env', { ttftMs: 150 });
    process.env.LEAKGATE_TEST_HOST_ONLY = 'host';
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LEAKGATE_TEST_RUN_ONLY: 'run' };
    const seen = new Map<number, Map<string, string>>();
    const poll = setInterval(() => {
      for (const [pid, environment] of workerEnvironments()) seen.set(pid, environment);
    }, 50);
    try {
      const { results } = await run({ models: [model], iterations: 3, out: join(dir.dir, 'env.json') }, { ...quietIO(dir.dir), env });
      expect(results.status).toBe('complete');
    } finally {
      clearInterval(poll);
      delete process.env.LEAKGATE_TEST_HOST_ONLY;
    }
    expect(seen.size).toBe(1);
    const environment = [...seen.values()][0]!;
    expect(environment.get('LEAKGATE_TEST_RUN_ONLY')).toBe('run');
    expect(environment.has('LEAKGATE_TEST_HOST_ONLY')).toBe(false);
    // the run's variables, the ledger's preload, Node's IPC channel (fork's), and nothing else
    const added = [...environment.keys()].filter((name) => !(name in env) && !name.startsWith('NODE_CHANNEL_'));
    expect(added.sort()).toEqual(['LD_PRELOAD']);
  });

  it('LEAKGATE_LEDGER=0 in the run’s environment (not the host’s) runs the worker without the ledger', async () => {
    const model = await dir.model('noledger', { ttftMs: 150 });
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LEAKGATE_LEDGER: '0' };
    const seen = new Map<number, Map<string, string>>();
    const poll = setInterval(() => {
      for (const [pid, environment] of workerEnvironments()) seen.set(pid, environment);
    }, 50);
    try {
      await run({ models: [model], iterations: 2, out: join(dir.dir, 'noledger.json') }, { ...quietIO(dir.dir), env });
    } finally {
      clearInterval(poll);
    }
    expect(seen.size).toBe(1);
    expect([...seen.values()][0]!.has('LD_PRELOAD')).toBe(false);
  });
});
