/**
 * `leakgate compare` through the real CLI on the reference engine. Its behaviour lives in the model
 * file, so base and head are the same library with differently planted models (--base-model /
 * --head-model): a planted leak or slowdown in head's model stands in for a regressed engine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { refEngineLibraryPath } from '../../src/refmodel/refEnginePath.js';
import type { RefModelSpec } from '../../src/refmodel/RefModelSpec.js';
import { expectCliOutcome } from '../cli/expectCliOutcome.js';
import { runCli } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';
import { KIB } from '../../src/units.js';

const TIMEOUT_MS = 90_000;
const dir = refModelDir();
afterAll(dir.cleanup);

/** Compares a base model against a head model (both named "m" in their own folder, so labels match). */
async function compare(name: string, base: Partial<RefModelSpec>, head: Partial<RefModelSpec>, iterations = 8) {
  const baseModel = await dir.model(`${name}-base`, { ttftMs: 20, ...base });
  const headModel = await dir.model(`${name}-head`, { ttftMs: 20, ...head });
  const lib = refEngineLibraryPath();
  return runCli(
    [
      'compare',
      '--base-lib',
      lib,
      '--head-lib',
      lib,
      '--base-model',
      baseModel,
      '--head-model',
      headModel,
      '--iterations',
      String(iterations),
      '--out',
      join(dir.dir, name),
    ],
    { timeoutMs: TIMEOUT_MS },
  );
}

// One compare at a time: six in parallel on two cores would be the noise they are meant to see through.
describe('leakgate compare (reference engine stands in for base and head)', () => {
  it('head leaking 256 KiB/switch more than base fails, naming the model and the difference with its CI', async () => {
    const result = await compare('leak', {}, { leakPerLoadBytes: 256 * KIB });
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed });
    expect(result.stdout).toContain('Compare (head vs base): FAIL');
    const line = new RegExp(
      String.raw`✗ (leak-base\|leak-head) leakBytesPerSwitch: head leaks \+(\d+\.\d) KiB\/switch ` +
        String.raw`more than base \(95% CI \+(\d+\.\d) KiB to \+(\d+\.\d) KiB\)`,
    ).exec(result.stdout);
    expect(line, result.stdout).not.toBeNull();
    const [, , estimate, low, high] = line!.map(Number);
    expect(estimate).toBeGreaterThan(240);
    expect(estimate).toBeLessThan(272);
    expect(low).toBeLessThanOrEqual(estimate!);
    expect(high).toBeGreaterThanOrEqual(estimate!);
    expect(low).toBeGreaterThan(64);
  });

  it('head leaking a few KiB per load more than base fails, naming the model, the signal and the difference', async () => {
    const result = await compare('few', {}, { leakPerLoadBytes: 8 * KIB });
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed });
    // 8 KiB/switch: 8 times under the 64 KiB allowance compare used to give, twice the heap's floor
    expect(result.stdout).toMatch(
      new RegExp(
        String.raw`✗ few-base\|few-head: head leaks where base does not: (engine heap|heap in use) \+[89]\.\d KiB\/switch .* ` +
          String.raw`against base (clean|plateau|undecided) .*; difference \+[789]\.\d KiB\/switch \(95 % CI`,
      ),
    );
    expect(result.stdout).toMatch(
      /✗ few-base\|few-head leakBytesPerSwitch: head leaks \+[789]\.\d KiB\/switch more than base .* allowed \+4\.0 KiB/,
    );
  });

  it('no switch measured on either side (both crash at the first load) is never a pass', async () => {
    const crash = { crash: { step: 'load' as const, iteration: 1, kind: 'abort' as const } };
    const result = await compare('none', crash, crash, 3);
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed });
    expect(result.stdout).toMatch(
      /✗ base measured no switch \(engine aborted in chatllm_start .*\): nothing was compared, which is no pass/,
    );
    expect(result.stdout).toMatch(/✗ head measured no switch/);
    expect(result.stdout).toMatch(/✗ both fail the same way and no baseline accepts it/);
  });

  it('head identical to base passes, every metric within its interval', async () => {
    const result = await compare('same', {}, {});
    expectCliOutcome(result, { exitCode: ExitCode.ok });
    expect(result.stdout).toContain('Compare (head vs base): PASS');
    expect(result.stdout).not.toMatch(/\bFAIL\b/);
  });

  it('head 30 % slower to the first token fails on the TTFT ratio, and only on it', async () => {
    const result = await compare('slow30', { ttftMs: 100 }, { ttftMs: 130 });
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed });
    expect(result.stdout).toMatch(/✗ slow30-base\|slow30-head ttftMs: head\/base ×1\.[23]\d\d/);
    expect(result.stdout.match(/✗ /g)).toHaveLength(1);
  });

  it('head 10 % slower (within run-to-run noise) passes', async () => {
    const result = await compare('slow10', { ttftMs: 100 }, { ttftMs: 110 });
    expectCliOutcome(result, { exitCode: ExitCode.ok });
    expect(result.stdout).toMatch(/slow10-base\|slow10-head +ttftMs .* ×1\.\d\d\d .* pass/);
  });

  it('failure changes come first: base aborting at destroy while head does not is a fix (pass)', async () => {
    const result = await compare('fixed', { crash: { step: 'unload', iteration: 3, kind: 'abort' } }, {});
    expectCliOutcome(result, { exitCode: ExitCode.ok });
    const failures = result.stdout.indexOf("Failures: head fixes base's failure: base engine aborted in chatllm_destroy (SIGABRT)");
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThan(result.stdout.indexOf('base verdict'));
  });

  it('head leaving an fd behind on every unload fails on it, and the run goes on to measure the rest', async () => {
    const result = await compare('fd', {}, { keepFd: true }, 5);
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed });
    expect(result.stdout).toContain('fd leak: base kept 0, head kept 5 over the run');
    expect(result.stdout).toMatch(/✗ head leaves an fd behind where base does not \(5 over the run\)/);
    expect(result.stdout).toMatch(/fd-base\|fd-head +leakBytesPerSwitch .* pass/);
  });

  it('head aborting where base does not fails, the failure listed first', async () => {
    const result = await compare('broken', {}, { crash: { step: 'unload', iteration: 3, kind: 'abort' } });
    expectCliOutcome(result, { exitCode: ExitCode.gateFailed });
    expect(result.stdout).toMatch(
      /Compare \(head vs base\): FAIL\n=+\nFailures: head fails where base does not: engine aborted in chatllm_destroy \(SIGABRT\)/,
    );
  });
});
