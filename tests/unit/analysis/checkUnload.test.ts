import { describe, expect, it } from 'vitest';
import { checkUnload, unloadChecks } from '../../../src/analysis/checkUnload.js';
import { modelIteration } from './fixtures/probeSample.js';

describe('checkUnload', () => {
  it('finds nothing when the unload restores mappings, fds and threads', () => {
    expect(checkUnload(modelIteration('model_06b', 1, { openFds: 21, threads: 7 }, { openFds: 21, threads: 7 }))).toEqual([]);
  });

  it('finds nothing when the unload closes more than the load opened', () => {
    expect(checkUnload(modelIteration('model_06b', 1, { openFds: 25, threads: 9 }, { openFds: 21, threads: 7 }))).toEqual([]);
  });

  it('reports a model file still mapped after unload', () => {
    const findings = checkUnload(modelIteration('model_17b', 4, {}, { modelMappings: 2 }));
    expect(findings).toEqual([
      {
        kind: 'mapping',
        iteration: 4,
        modelKey: 'model_17b',
        before: 0,
        after: 2,
        message: 'model file still mapped after unload (2 mappings in /proc/PID/maps)',
      },
    ]);
  });

  it('reports extra fds and threads with the counts, in registry order', () => {
    const findings = checkUnload(
      modelIteration('model_06b', 2, { openFds: 21, threads: 7 }, { openFds: 24, threads: 8, modelMappings: 1 }),
    );
    expect(findings.map((f) => f.kind)).toEqual(['mapping', 'fd', 'thread']);
    expect(findings[1]).toMatchObject({ before: 21, after: 24, message: '3 more open fds than before load (21 -> 24)' });
    expect(findings[2]).toMatchObject({ before: 7, after: 8, message: '1 more thread than before load (7 -> 8)' });
    expect(findings[0]!.message).toBe('model file still mapped after unload (1 mapping in /proc/PID/maps)');
  });

  it('runs every registered check', () => {
    expect(unloadChecks.map((c) => c.kind)).toEqual(['mapping', 'fd', 'thread']);
  });
});
