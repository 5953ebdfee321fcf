import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { refEngineLibraryPath } from '../../../src/refmodel/refEnginePath.js';

describe('refEngineLibraryPath', () => {
  it('points at native/build/libchatllm-ref.so in this checkout', () => {
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    const path = refEngineLibraryPath();
    expect(isAbsolute(path)).toBe(true);
    expect(path).toBe(`${repoRoot}native/build/libchatllm-ref.so`);
  });
});
