import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { float16Value } from '../../../src/twin/float16.js';
import { twinTypeNames } from '../../../src/twin/ggmlTypes.js';
import { readGgmm, type GgmmFile } from '../../../src/modelfiles/readGgmm.js';
import { writeTwin } from '../../../src/twin/writeTwin.js';

describe('twin weights are valid numbers of small magnitude', () => {
  let dir: string;
  const files = new Map<string, { file: GgmmFile; bytes: Buffer }>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leakgate-twin-'));
    for (const type of twinTypeNames) {
      const path = join(dir, `${type}.bin`);
      await writeTwin(path, { shape: 'tiny', type, seed: 9 });
      files.set(type, { file: await readGgmm(path), bytes: await readFile(path) });
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const tensorData = (type: string, name: string) => {
    const entry = files.get(type);
    const t = entry?.file.tensors.find((x) => x.name === name);
    if (entry === undefined || t === undefined) throw new Error(`no ${name} in ${type} twin`);
    return entry.bytes.subarray(t.dataOffset, t.dataOffset + t.dataBytes);
  };

  it('norm scales are f32 near 1 and biases f32 near 0', () => {
    const norm = tensorData('q4_0', 'model.layers.0.input_layernorm.weight');
    const bias = tensorData('q4_0', 'audio.layers.0.mlp.fc0.bias');
    for (let i = 0; i < norm.length; i += 4) expect(Math.abs(norm.readFloatLE(i) - 1)).toBeLessThanOrEqual(0.05);
    for (let i = 0; i < bias.length; i += 4) expect(Math.abs(bias.readFloatLE(i))).toBeLessThanOrEqual(0.02);
  });

  it('f16 matrices hold finite values within ±0.05 that are not all equal', () => {
    const data = tensorData('f16', 'model.layers.1.mlp.down_proj.weight');
    const values = Array.from({ length: data.length / 2 }, (_, i) => float16Value(data.readUInt16LE(2 * i)));
    for (const v of values) expect(Number.isFinite(v) && Math.abs(v) <= 0.0501).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(100);
  });

  it.each([
    ['q4_0', 18, 0.002, 0.01],
    ['q8_0', 34, 0.0002, 0.001],
  ])('%s blocks carry a positive scale in range and random payload', (type, blockBytes, low, high) => {
    const data = tensorData(type, 'lm_head.weight');
    expect(data.length % blockBytes).toBe(0);
    const payloads = new Set<string>();
    for (let at = 0; at < data.length; at += blockBytes) {
      const scale = float16Value(data.readUInt16LE(at));
      expect(scale).toBeGreaterThanOrEqual(low * 0.99);
      expect(scale).toBeLessThanOrEqual(high * 1.01);
      payloads.add(data.toString('hex', at + 2, at + blockBytes));
    }
    expect(payloads.size).toBe(data.length / blockBytes);
  });
});
