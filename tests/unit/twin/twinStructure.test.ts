import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGgmm, type GgmmFile } from '../../../src/modelfiles/readGgmm.js';
import { writeTwin } from '../../../src/twin/writeTwin.js';

/** Structure of upstream's tiny twin, extracted by an independent script (see fixtures/twin/README.md). */
interface OracleStructure {
  fileBytes: number;
  magic: string;
  version: number;
  sections: string[];
  sectionOffsets: { config: number; vocab: number; tensors: number };
  meta: Record<string, Record<string, unknown> | string>;
  modelType: number;
  modelVersion: number;
  config: Record<string, number | number[]>;
  vocab: {
    tokenCount: number;
    normalTokenCount: number;
    mergeCount: number;
    specialTokens: Array<{ id: number; text: string; type: number }>;
  };
  tensorDataBytes: number;
  tensors: Array<{ name: string; dims: number[]; ggmlType: number; dataBytes: number }>;
}

const fixturePath = new URL('../../../fixtures/twin/qwen3-asr-tiny-twin.structure.json', import.meta.url);
// Fields that name the writer rather than describe the model
const writerOnlyKeys = ['_name_or_path', 'twin_note'];

const withoutKeys = (obj: unknown, keys: string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(obj as Record<string, unknown>).filter(([k]) => !keys.includes(k)));

describe('tiny twin vs the structure of upstream-converted tiny twin', () => {
  let dir: string;
  let oracle: OracleStructure;
  let twin: GgmmFile;

  beforeAll(async () => {
    oracle = JSON.parse(await readFile(fixturePath, 'utf8')) as OracleStructure;
    dir = await mkdtemp(join(tmpdir(), 'leakgate-twin-'));
    const path = join(dir, 'tiny.bin');
    await writeTwin(path, { shape: 'tiny', type: 'q4_0', seed: 1 });
    twin = await readGgmm(path);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has the same container: magic, version, sections in order, 624-byte config section', () => {
    expect(twin.magic).toBe(oracle.magic);
    expect(twin.version).toBe(oracle.version);
    expect(oracle.sections).toEqual(['header', 'meta', 'config', 'vocab', 'tensors']);
    expect(twin.offsets.config).toBeGreaterThan(20);
    expect(twin.offsets.config % 4).toBe(0); // meta padded to 4 like convert.py
    expect(twin.offsets.tokenizer - twin.offsets.config).toBe(oracle.sectionOffsets.vocab - oracle.sectionOffsets.config);
    expect(twin.offsets.tensors).toBeGreaterThan(twin.offsets.tokenizer);
  });

  it('embeds the same meta JSON blocks', () => {
    const oracleMeta = oracle.meta;
    expect(Object.keys(twin.meta ?? {})).toEqual(Object.keys(oracleMeta));
    const twinConfig = twin.meta?.['config.json'];
    expect(withoutKeys(twinConfig, writerOnlyKeys)).toEqual(withoutKeys(oracleMeta['config.json'], writerOnlyKeys));
    expect(twin.meta?.['tokenizer_config.json']).toEqual(oracleMeta['tokenizer_config.json']);
    expect(twin.meta?.['preprocessor_config.json']).toEqual(oracleMeta['preprocessor_config.json']);
    expect(twin.meta?.model_name).toBe(oracleMeta.model_name);
  });

  it('has the same model type, version and config struct', () => {
    expect(twin.modelType).toBe(oracle.modelType);
    expect(twin.modelTypeName).toBe('Qwen3-ASR');
    expect(twin.modelVersion).toBe(oracle.modelVersion);
    expect(twin.config).toEqual(oracle.config);
  });

  it('has the same vocabulary counts and special tokens at the same ids', () => {
    expect(twin.vocab).toEqual(oracle.vocab);
    const idOf = (text: string) => twin.vocab?.specialTokens.find((t) => t.text === text)?.id;
    for (const needed of ['<|audio_start|>', '<|audio_end|>', '<|im_start|>', '<|im_end|>', '<asr_text>']) {
      expect(idOf(needed)).toBeTypeOf('number');
    }
    expect(idOf('<|endoftext|>')).toBe((idOf('<|im_start|>') ?? 0) - 1);
  });

  it('has the same tensors in the same order with the same shapes, types and sizes', () => {
    expect(twin.tensors.map(({ name, dims, ggmlTypeId, dataBytes }) => ({ name, dims, ggmlType: ggmlTypeId, dataBytes }))).toEqual(
      oracle.tensors,
    );
    expect(twin.tensors.reduce((sum, t) => sum + t.dataBytes, 0)).toBe(oracle.tensorDataBytes);
  });

  it('aligns tensor data to 16 bytes and ends exactly after the last tensor', () => {
    for (const t of twin.tensors) expect(t.dataOffset % 16).toBe(0);
    const last = twin.tensors[twin.tensors.length - 1];
    expect(last && last.dataOffset + last.dataBytes).toBe(twin.fileBytes);
  });
});
