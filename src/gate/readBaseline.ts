import { readFile } from 'node:fs/promises';
import { usageError } from '../errors.js';
import type { Baseline } from './Baseline.js';
import { validateBaseline } from './validateBaseline.js';

/** Reads and validates a baseline; null when the file does not exist (no baseline: nothing tolerated). */
export async function readBaseline(file: string): Promise<Baseline | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw usageError(`cannot read baseline ${file}: ${(error as NodeJS.ErrnoException).code} (check its permissions)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw usageError(`${file} is not valid JSON (restore it from git, or rewrite it with npm run baseline:update)`);
  }
  return validateBaseline(json, file);
}
