import { LeakgateError, usageError } from '../errors.js';
import { readJsonFile } from '../files/readJsonFile.js';
import { refuseNonRegularFile } from '../files/fileKind.js';
import type { Baseline } from './Baseline.js';
import { validateBaseline } from './validateBaseline.js';
import { untrustedText } from '../untrustedText.js';

const BASELINE_FILE = {
  what: 'baseline',
  fix: 'restore it from git, or rewrite it with npx leakgate baseline update',
  // A baseline holds a few metrics per model: kilobytes.
  maxBytes: 16 * 1024 * 1024,
};

/**
 * Reads and validates a baseline. A missing file is null (no baseline: nothing tolerated) only for the
 * default path (`explicit` false); a baseline the user named must exist, or a typo would gate on nothing.
 * Its model labels, which leakgate prints, come back through untrustedText (anyone can edit a baseline).
 */
export async function readBaseline(file: string, explicit = false): Promise<Baseline | null> {
  await refuseNonRegularFile(file, 'baseline', 'pass --baseline FILE to a baseline JSON');
  let json: unknown;
  try {
    json = await readJsonFile(file, BASELINE_FILE);
  } catch (error) {
    if (error instanceof LeakgateError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      if (!explicit) return null;
      throw usageError(
        `baseline not found: ${file} (check the --baseline path, or drop --baseline to use the default ` +
          `baselines/<engine>/<platform>/<scenario>--<models>.json)`,
      );
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') {
      throw usageError(
        `cannot read baseline ${file}: a part of its path is a file, not a folder (move that file away, or pass --baseline FILE)`,
      );
    }
    throw usageError(`cannot read baseline ${file}: ${code} (check its permissions)`);
  }
  const baseline = validateBaseline(json, file);
  return { ...baseline, models: baseline.models.map((model) => ({ ...model, label: untrustedText(model.label) })) };
}
