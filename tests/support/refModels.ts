import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RefModelSpec } from '../../src/refmodel/RefModelSpec.js';
import type { LeakgateIO } from '../../src/LeakgateIO.js';
import { writeRefModel } from '../../src/refmodel/writeRefModel.js';
import type { RunOutcome } from '../../src/pipelines/run.js';
import { MIB } from '../../src/units.js';

/** A temp folder for one test file's reference models and results; `cleanup` removes it. */
export function refModelDir(): {
  dir: string;
  model: (name: string, spec?: Partial<RefModelSpec>) => Promise<string>;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-test-'));
  return {
    dir,
    async model(name, spec = {}) {
      const path = join(dir, `${name}.bin`);
      await writeRefModel(path, { sizeBytes: 4 * MIB, ttftMs: 5, charMs: 1, ...spec });
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An IO that keeps the report in memory. */
export function quietIO(cwd: string): LeakgateIO & { output: string[] } {
  const output: string[] = [];
  const keep = (t: string): void => void output.push(t);
  return { log: keep, error: keep, write: keep, out: keep, tty: false, env: process.env, cwd, output };
}

/**
 * The memory a run measured after each unload, one line, for an assertion's message: when a memory
 * assertion fails in CI, the message says what the process did (RssAnon, malloc's free bytes, heap in use).
 */
export function afterUnloadSeries(outcome: RunOutcome): string {
  const mib = (bytes: number | null | undefined): string => (bytes == null ? '-' : (bytes / MIB).toFixed(1));
  const rows = outcome.results.records.map(
    (r) =>
      `${mib(r.phases.afterUnload.rssAnonBytes)}/${mib(r.phases.afterUnload.mallocFreeBytes)}/${mib(r.phases.afterUnload.heapInUseBytes)}`,
  );
  return `after unload, RssAnon/malloc free/heap in use MiB: ${rows.join(' ')}`;
}
