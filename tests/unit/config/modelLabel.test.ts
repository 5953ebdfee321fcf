import { describe, expect, it } from 'vitest';
import { modelKey, modelLabel } from '../../../src/config/modelLabel.js';

describe('modelLabel', () => {
  it.each([
    ['/m/qwen3-asr-0.6b-q4_0.bin', '0.6B'],
    ['/m/qwen3-asr-1.7b-q4_0.bin', '1.7B'],
    ['models/Qwen3-ASR-1.7B.bin', '1.7B'],
    ['/tmp/ref-small.bin', 'ref-small'],
    ['/tmp/b2b.bin', 'b2b'],
  ])('%s -> %s', (path, label) => {
    expect(modelLabel(path)).toBe(label);
  });
});

describe('modelKey', () => {
  it('names models as the seed does', () => {
    expect(modelKey('0.6B', new Set())).toBe('model_06b');
    expect(modelKey('1.7B', new Set())).toBe('model_17b');
    expect(modelKey('ref-small', new Set())).toBe('model_ref_small');
  });
  it('keeps keys unique when two files share a label', () => {
    expect(modelKey('0.6B', new Set(['model_06b']))).toBe('model_06b_2');
    expect(modelKey('0.6B', new Set(['model_06b', 'model_06b_2']))).toBe('model_06b_3');
  });
});
