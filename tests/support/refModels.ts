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
 * The retention oracle's control (--fragment): RssAnon climbs only while glibc puts each load's chunks in
 * fresh pages. In two of about fourteen CI runs it did not: the heap could not grow with brk, and the
 * slack of glibc's mmapped arena regions let later chunks reuse old holes (fixed in the oracle; see
 * tests/refengine/outsideMalloc.test.ts). When a control does not hold, this says on stderr (and returns,
 * for the assertion's message) what the process did: RssAnon, malloc's free bytes and heap in use after
 * each unload.
 */
export function stranding(outcome: RunOutcome, held: boolean): string {
  const mib = (bytes: number | null | undefined): string => (bytes == null ? '-' : (bytes / MIB).toFixed(1));
  const rows = outcome.results.records.map(
    (r) =>
      `${mib(r.phases.afterUnload.rssAnonBytes)}/${mib(r.phases.afterUnload.mallocFreeBytes)}/${mib(r.phases.afterUnload.heapInUseBytes)}`,
  );
  const line = `after unload, RssAnon/malloc free/heap in use MiB: ${rows.join(' ')}`;
  if (!held) console.error(`retention control did not hold: ${line}`);
  return line;
}
