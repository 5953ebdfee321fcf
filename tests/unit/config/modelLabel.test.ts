import { describe, expect, it } from 'vitest';
import { modelIdentity, modelLabel } from '../../../src/config/modelLabel.js';

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

describe('modelIdentity', () => {
  it('names models as the seed does', () => {
    expect(modelIdentity('0.6B', new Set()).key).toBe('model_06b');
    expect(modelIdentity('1.7B', new Set()).key).toBe('model_17b');
    expect(modelIdentity('ref-small', new Set()).key).toBe('model_ref_small');
  });
  it('keeps keys unique when two files share a label', () => {
    expect(modelIdentity('0.6B', new Set(['model_06b'])).key).toBe('model_06b_2');
    expect(modelIdentity('0.6B', new Set(['model_06b', 'model_06b_2'])).key).toBe('model_06b_3');
    expect(modelIdentity('tiny-twin', new Set(['model_tiny_twin']))).toEqual({ key: 'model_tiny_twin_2', label: 'tiny-twin #2' });
    expect(modelIdentity('tiny-twin', new Set())).toEqual({ key: 'model_tiny_twin', label: 'tiny-twin' });
  });
});
