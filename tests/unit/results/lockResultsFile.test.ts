import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockPathOf, lockResultsFile } from '../../../src/results/lockResultsFile.js';

const dir = mkdtempSync(join(tmpdir(), 'leakgate-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lockResultsFile', () => {
  it('makes the results folder when it does not exist yet (the default results/ of a fresh clone)', async () => {
    const results = join(dir, 'results', 'nested', 'model_switch_results.json');
    const lock = await lockResultsFile(results);
    expect(readFileSync(lockPathOf(results), 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
    expect(existsSync(lockPathOf(results))).toBe(false);
    expect(existsSync(join(dir, 'results', 'nested'))).toBe(true);
  });
});
