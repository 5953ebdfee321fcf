import { describe, expect, it } from 'vitest';
import { describeRefModelSpec } from '../../../src/refmodel/describeRefModelSpec.js';
import { resolveRefModelSpec } from '../../../src/refmodel/resolveRefModelSpec.js';
import { KIB, MIB } from '../../../src/units.js';

describe('describeRefModelSpec', () => {
  it('describes a clean default model without planted behaviour', () => {
    expect(describeRefModelSpec(resolveRefModelSpec({}))).toBe(
      '32MiB file, heap 32MiB, kv 4MiB, ttft 20 ms, 2 ms/char, transcript "零九零零零七三三三一"',
    );
  });

  it('names each planted behaviour', () => {
    const line = describeRefModelSpec(
      resolveRefModelSpec({
        sizeBytes: MIB,
        leakPerInferBytes: 4096,
        plateauLoads: 3,
        plateauBytes: 2 * MIB,
        noiseBytes: KIB,
        keepFd: true,
        hang: { step: 'load', iteration: 4 },
        transcript: 'ok',
      }),
    );
    expect(line).toBe(
      '1MiB file, heap 1MiB, kv 128KiB, leaks 4KiB/infer, plateau 2MiB x 3 loads, noise < 1KiB, keeps fd, hang at load:4, ttft 20 ms, ' +
        '2 ms/char, transcript "ok"',
    );
  });
});
