import { basename } from 'node:path';
import { untrustedText } from '../untrustedText.js';

/**
 * A short label for tables: the parameter count when the file name has one ("qwen3-asr-1.7b-q4_0.bin" -> "1.7B"),
 * else the file name without ".bin".
 */
export function modelLabel(modelPath: string): string {
  const name = basename(modelPath).replace(/\.bin$/i, '');
  const size = /(?:^|[-_])(\d+(?:\.\d+)?)b(?:[-_.]|$)/i.exec(name);
  // A file name may hold newlines or escape sequences: the label is printed in every table.
  return size ? `${size[1]}B` : untrustedText(name);
}

/**
 * The results-file key of a model, as the seed names them ("0.6B" -> "model_06b"), and its label; a
 * label already taken gets "_2", "_3"… in its key and "#2", "#3"… in its label (the same file switched
 * against itself must still be told apart in tables).
 */
export function modelIdentity(label: string, taken: ReadonlySet<string>): { key: string; label: string } {
  const slug = label
    .toLowerCase()
    .replace(/\./g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  const base = `model_${slug || 'x'}`;
  let key = base;
  let copy = 1;
  while (taken.has(key)) {
    copy += 1;
    key = `${base}_${copy}`;
  }
  return { key, label: copy === 1 ? label : `${label} #${copy}` };
}
