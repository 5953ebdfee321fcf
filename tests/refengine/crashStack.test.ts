/**
 * Native stacks of engine crashes, on the reference engine: a planted abort or segfault is reported
 * with the crashing thread's stack, engine frames named with file:line, in the one-line error and in
 * full in the results file. A crash-free run carries no stack.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RefModelSpec } from '../../src/refmodel/RefModelSpec.js';
import { run } from '../../src/pipelines/run.js';
import { quietIO, refModelDir } from '../support/refModels.js';
import { MIB } from '../../src/units.js';

const models = refModelDir();
afterAll(models.cleanup);

async function crashRun(name: string, spec: Partial<RefModelSpec>) {
  const path = await models.model(name, { sizeBytes: MIB, ttftMs: 0, charMs: 0, ...spec });
  const { results } = await run(
    { models: [path], iterations: 2, out: join(models.dir, `${name}.json`), compareWithBaseline: false },
    quietIO(models.dir),
  );
  return results;
}

describe('the native stack of an engine crash', () => {
  it('names the engine frames of an abort in chatllm_destroy, innermost first, with file:line', async () => {
    const results = await crashRun('abort-unload', { crash: { step: 'unload', iteration: 2, kind: 'abort' } });
    const failure = results.failure!;
    expect(failure).toMatchObject({ kind: 'crash', signal: 'SIGABRT', step: 'unload' });
    const functions = failure.nativeStack!.map((frame) => frame.function);
    // abort() is below the engine's frames; the C API entry above them.
    expect(functions.indexOf('crash_now')).toBeGreaterThan(functions.findIndex((fn) => fn !== null && /abort/.test(fn)));
    expect(functions.indexOf('chatllm_destroy')).toBeGreaterThan(functions.indexOf('crash_now'));
    expect(failure.message).toMatch(
      /^engine aborted in chatllm_destroy \(SIGABRT\) ← crash_now \(\S*refengine\.c:\d+\) ← .*chatllm_destroy \(\S*refengine\.c:\d+\)/,
    );
  });

  it('names chatllm_user_input for a segfault during inference', async () => {
    const results = await crashRun('segv-infer', { crash: { step: 'infer', iteration: 1, kind: 'segv' } });
    expect(results.failure).toMatchObject({ kind: 'crash', signal: 'SIGSEGV', step: 'infer' });
    expect(results.failure!.nativeStack!.map((frame) => frame.function)).toContain('chatllm_user_input');
    expect(results.failure!.message).toContain('← chatllm_user_input (');
  });

  it('the installed handler leaves a crash-free run alone (control)', async () => {
    const results = await crashRun('fine', {});
    expect(results.failure).toBeNull();
  });
});
