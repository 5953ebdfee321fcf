/**
 * How `leakgate analyze` scales with the iterations: writes synthetic results files (a random-walk
 * heap, clean) of 1k to 40k iterations, then times reading + validating and analysing each.
 * Prints figures; asserts nothing (npm run bench:analyze).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeResults } from '../src/analysis/analyzeResults.js';
import { readResultsFile } from '../src/pipelines/readResultsFile.js';
import { toResultsJson } from '../src/results/resultsFile.js';
import { syntheticRun } from '../tests/unit/report/fixtures/syntheticRun.js';

const dir = mkdtempSync(join(tmpdir(), 'leakgate-analyze-scaling-'));
let state = 1;
const random = (): number => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const noisy = (key: string) => ({ key, label: key, netBytes: () => Math.round((random() - 0.5) * 8192) });

console.log('iterations  models  file MB  read+validate s  analyze s');
try {
  for (const models of [1, 2]) {
    for (const iterations of [1_000, 5_000, 10_000, 40_000]) {
      const file = join(dir, `run-${models}-${iterations}.json`);
      writeFileSync(file, JSON.stringify(toResultsJson(syntheticRun([noisy('model_a'), noisy('model_b')].slice(0, models), iterations))));
      let started = performance.now();
      const read = await readResultsFile(file);
      const readS = (performance.now() - started) / 1000;
      if (read.format !== 'leakgate') throw new Error('expected a leakgate results file');
      started = performance.now();
      analyzeResults(read.results);
      const analyzeS = (performance.now() - started) / 1000;
      const mb = statSync(file).size / 1e6;
      console.log(
        `${String(iterations).padStart(10)}  ${String(models).padStart(6)}  ${mb.toFixed(0).padStart(7)}  ` +
          `${readS.toFixed(2).padStart(15)}  ${analyzeS.toFixed(2).padStart(9)}`,
      );
      rmSync(file);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
