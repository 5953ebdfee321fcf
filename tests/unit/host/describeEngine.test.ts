import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../../../src/host/describeEngine.js';
import { formatPatches } from '../../../src/report/formatPatches.js';

const dir = mkdtempSync(join(tmpdir(), 'leakgate-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('describeEngine: provenance from BUILD_INFO.json beside the library', () => {
  const patches = [
    { name: '0001-destroy.diff', sha256: 'a'.repeat(64) },
    { name: '0002-leak.diff', sha256: 'b'.repeat(64) },
  ];

  it('records the patch list and commit npm run native:build wrote', async () => {
    writeFileSync(join(dir, 'libchatllm.so'), 'bytes');
    writeFileSync(join(dir, 'BUILD_INFO.json'), JSON.stringify({ commit: 'c0ffee', patches, files: [] }));
    const engine = await describeEngine(join(dir, 'libchatllm.so'), false, {});
    expect(engine.patches).toEqual(patches);
    expect(engine.chatllmCommit).toBe('c0ffee');
    expect((await describeEngine(join(dir, 'libchatllm.so'), false, { CHATLLM_COMMIT: 'env' })).chatllmCommit).toBe('env');
  });

  it('leaves patches out when there is no BUILD_INFO.json, and for the reference engine', async () => {
    const other = mkdtempSync(join(dir, 'bare-'));
    writeFileSync(join(other, 'libchatllm.so'), 'bytes');
    expect((await describeEngine(join(other, 'libchatllm.so'), false, {})).patches).toBeUndefined();
    expect((await describeEngine(join(dir, 'libchatllm.so'), true, {})).patches).toBeUndefined();
  });
});

describe('formatPatches', () => {
  it('names each patch with its hash prefix, says "upstream as is" for none and "unknown" when not recorded', () => {
    expect(formatPatches([{ name: '0001-x.diff', sha256: '0123456789abcdef' }])).toBe('0001-x.diff (sha256 0123456789ab)');
    expect(formatPatches([])).toBe('none (upstream as is)');
    expect(formatPatches(undefined)).toMatch(/^unknown/);
  });
});
