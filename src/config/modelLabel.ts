import { basename } from 'node:path';

/**
 * A short label for tables: the parameter count when the file name has one ("qwen3-asr-1.7b-q4_0.bin" -> "1.7B"),
 * else the file name without ".bin".
 */
export function modelLabel(modelPath: string): string {
  const name = basename(modelPath).replace(/\.bin$/i, '');
  const size = /(?:^|[-_])(\d+(?:\.\d+)?)b(?:[-_.]|$)/i.exec(name);
  return size ? `${size[1]}B` : name;
}

/**
 * The results-file key of a model, as the seed names them ("0.6B" -> "model_06b"); made unique against `taken`.
 */
export function modelKey(label: string, taken: ReadonlySet<string>): string {
  const slug = label.toLowerCase().replace(/\./g, '').replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  const base = `model_${slug || 'x'}`;
  let key = base;
  for (let n = 2; taken.has(key); n += 1) key = `${base}_${n}`;
  return key;
}
