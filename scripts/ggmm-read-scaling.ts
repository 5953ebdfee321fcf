/**
 * How identifying a GGMM model file scales with its tensor count (a hostile file may declare
 * hundreds of thousands of tiny tensors): writes files of 1k to 300k f32 tensors of 4 elements, then
 * times identifyModelFile (what run, doctor and compare do per model) on each.
 * Prints figures; asserts nothing (npm run bench:ggmm).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identifyModelFile } from '../src/modelfiles/identifyModelFile.js';
import { planGgmmLayout } from '../src/twin/ggmmLayout.js';
import { ggmlTypeById } from '../src/twin/ggmlTypes.js';

const f32 = ggmlTypeById(0);
if (f32 === undefined) throw new Error('ggml type 0 (f32) is not registered');
// Qwen3 (0x755): its config struct, empty meta and BPE vocabulary
const config = Buffer.alloc(8 + 4 * (11 + 11 + 128));
config.writeInt32LE(0x755, 0);
config.writeInt32LE(1, 4);
const vocab = Buffer.alloc(8, 0xff);

const dir = mkdtempSync(join(tmpdir(), 'leakgate-ggmm-scaling-'));
console.log('   tensors  file MB  identify s');
try {
  for (const count of [1_000, 30_000, 300_000]) {
    const tensors = Array.from({ length: count }, (_, i) => ({ name: `blk.${i}.weight`, dims: [4], type: f32 }));
    const layout = planGgmmLayout({ meta: Buffer.alloc(0), config, vocab, tensors });
    const file = join(dir, `tensors-${count}.bin`);
    writeFileSync(file, Buffer.concat([layout.head, ...layout.tensors.flatMap((t) => [t.prefix, Buffer.alloc(t.dataBytes)])]));
    const started = performance.now();
    await identifyModelFile(file);
    const identifyS = (performance.now() - started) / 1000;
    console.log(`${String(count).padStart(10)}  ${(layout.fileBytes / 1e6).toFixed(1).padStart(7)}  ${identifyS.toFixed(2).padStart(10)}`);
    rmSync(file);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
