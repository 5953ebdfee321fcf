import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RefModelSpec } from '../../src/refmodel/RefModelSpec.js';
import { writeRefModel } from '../../src/refmodel/writeRefModel.js';

const MIB = 1024 * 1024;

/** A temp folder for one test file's reference models and results; `cleanup` removes it. */
export function refModelDir(): { dir: string; model: (name: string, spec?: Partial<RefModelSpec>) => Promise<string>; cleanup: () => void } {
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

/** RunIO that keeps the report in memory. */
export function quietIO(cwd: string): { log: (t: string) => void; write: (t: string) => void; tty: false; env: NodeJS.ProcessEnv; cwd: string; output: string[] } {
  const output: string[] = [];
  return { log: (t) => void output.push(t), write: (t) => void output.push(t), tty: false, env: process.env, cwd, output };
}
