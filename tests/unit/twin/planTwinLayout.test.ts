import { describe, expect, it } from 'vitest';
import type { TwinTypeName } from '../../../src/twin/ggmlTypes.js';
import { planTwinLayout, type TwinOptions } from '../../../src/twin/planTwinLayout.js';
import type { TwinShapeName } from '../../../src/twin/twinShapes.js';

describe('planTwinLayout sizes (no file written)', () => {
  it('puts the 0.6b q4_0 twin within 1 % of the real 0.6B q4_0 file (538,868,432 bytes)', () => {
    const real = 538_868_432;
    const planned = planTwinLayout({ shape: '0.6b', type: 'q4_0', seed: 1 }).layout.fileBytes;
    expect(Math.abs(planned - real) / real).toBeLessThan(0.01);
  });

  // sizes of the q8 files upstream publishes (chatllm.cpp scripts/models.json, "qwen3-asr")
  it.each<[TwinShapeName, number]>([
    ['0.6b', 1_005_656_864],
    ['1.7b', 2_505_570_400],
  ])('puts the %s q8_0 twin within 1 percent of the upstream q8 file (%d bytes)', (shape, real) => {
    const planned = planTwinLayout({ shape, type: 'q8_0', seed: 1 }).layout.fileBytes;
    expect(Math.abs(planned - real) / real).toBeLessThan(0.01);
  });

  it('sizes big tensors as convert.py quantises them (hand-computed)', () => {
    const plan = planTwinLayout({ shape: '0.6b', type: 'q4_0', seed: 1 });
    const byName = new Map(plan.layout.tensors.map((t) => [t.name, t]));
    // 151936 x 1024 in q4_0: 151936 * 1024 / 32 blocks of 18 bytes
    expect(byName.get('model.embed_tokens.weight')?.dataBytes).toBe(87_515_136);
    expect(byName.get('lm_head.weight')?.dataBytes).toBe(87_515_136);
    // 3x3 convolution rows are not whole q4_0 blocks: f16, 480*480*9*2 bytes
    expect(byName.get('audio.conv2d2.weight')?.type.name).toBe('f16');
    expect(byName.get('audio.conv2d2.weight')?.dataBytes).toBe(4_147_200);
    // conv_out input is 480 channels x 16 mel rows after three stride-2 convolutions
    expect(byName.get('audio.conv_out.weight')?.dims).toEqual([896, 7680]);
    // vectors stay f32
    expect(byName.get('model.norm.weight')?.type.name).toBe('f32');
    expect(byName.get('model.norm.weight')?.dataBytes).toBe(4096);
    // 28 text layers * 11 + 3, 18 audio layers * 16 + 13
    expect(plan.layout.tensors).toHaveLength(28 * 11 + 3 + 18 * 16 + 13);
  });

  it('makes 1.7b bigger than 0.6b and f16 bigger than q8_0 bigger than q4_0', () => {
    const size = (shape: TwinShapeName, type: TwinTypeName) => planTwinLayout({ shape, type, seed: 1 }).layout.fileBytes;
    expect(size('1.7b', 'q4_0')).toBeGreaterThan(size('0.6b', 'q4_0'));
    expect(size('tiny', 'f16')).toBeGreaterThan(size('tiny', 'q8_0'));
    expect(size('tiny', 'q8_0')).toBeGreaterThan(size('tiny', 'q4_0'));
  });

  it('rejects unknown shapes and types twins cannot store', () => {
    // callers outside TypeScript's reach (JSON configs, CLI strings) can still pass anything
    expect(() => planTwinLayout({ shape: '7b', type: 'q4_0', seed: 1 } as unknown as TwinOptions)).toThrow(/shape/);
    expect(() => planTwinLayout({ shape: 'tiny', type: 'q4_k', seed: 1 } as unknown as TwinOptions)).toThrow(/q4_k/);
    expect(() => planTwinLayout({ shape: 'tiny', type: 'q4_0', seed: -1 })).toThrow(/seed/);
  });
});
