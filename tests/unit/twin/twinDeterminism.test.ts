import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planTwinLayout } from '../../../src/twin/planTwinLayout.js';
import { twinTensorFiller } from '../../../src/twin/twinTensorFiller.js';
import { writeGgmm } from '../../../src/twin/writeGgmm.js';
import { writeTwin } from '../../../src/twin/writeTwin.js';

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe('twin determinism', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leakgate-twin-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes identical bytes for the same seed', async () => {
    await writeTwin(join(dir, 'a.bin'), { shape: 'tiny', type: 'q8_0', seed: 42 });
    await writeTwin(join(dir, 'b.bin'), { shape: 'tiny', type: 'q8_0', seed: 42 });
    expect(await sha256(join(dir, 'a.bin'))).toBe(await sha256(join(dir, 'b.bin')));
  });

  it('writes different weights for a different seed', async () => {
    await writeTwin(join(dir, 'c.bin'), { shape: 'tiny', type: 'q8_0', seed: 43 });
    expect(await sha256(join(dir, 'c.bin'))).not.toBe(await sha256(join(dir, 'a.bin')));
    // the difference is in the weights, not only the seed noted in the meta block
    const plan = planTwinLayout({ shape: 'tiny', type: 'q8_0', seed: 42 });
    const embed = plan.layout.tensors[0];
    if (embed === undefined) throw new Error('no tensors planned');
    const slice = async (name: string) => (await readFile(join(dir, name))).subarray(embed.dataOffset, embed.dataOffset + embed.dataBytes);
    expect((await slice('a.bin')).equals(await slice('c.bin'))).toBe(false);
  });

  it('does not depend on the chunk size used while streaming', async () => {
    const plan = planTwinLayout({ shape: 'tiny', type: 'q4_0', seed: 5 });
    const specs = new Map(plan.tensors.map((t) => [t.name, t]));
    const source = (t: { name: string }) => {
      const spec = specs.get(t.name);
      if (spec === undefined) throw new Error(`unplanned ${t.name}`);
      return twinTensorFiller(spec, plan.seed);
    };
    await writeGgmm(join(dir, 'big-chunks.bin'), plan.layout, source);
    await writeGgmm(join(dir, 'small-chunks.bin'), plan.layout, source, { chunkBytes: 1000 });
    expect(await sha256(join(dir, 'small-chunks.bin'))).toBe(await sha256(join(dir, 'big-chunks.bin')));
    expect(await sha256(join(dir, 'big-chunks.bin'))).toBe(
      await writeTwin(join(dir, 'via-writeTwin.bin'), { shape: 'tiny', type: 'q4_0', seed: 5 }).then(() =>
        sha256(join(dir, 'via-writeTwin.bin')),
      ),
    );
  });
});
