import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { usageError } from '../errors.js';
import { formatBytes } from '../units.js';

/** Deeper than any file leakgate writes (results nest ~6 levels): deeper is not one of them, and would overflow a recursive reader. */
const MAX_JSON_DEPTH = 64;

/** What readJsonFile reads, for its errors: `what` names the file, `fix` says what to pass instead. */
export interface JsonFileSpec {
  what: string;
  fix: string;
  /** Larger files are refused before they are read (a results file of 100,000 switches is ~150 MB). */
  maxBytes: number;
}

/** The deepest nesting of arrays and objects in JSON text, counted outside strings, in one pass. */
function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return deepest;
}

/**
 * Parses JSON read from `path`: a UTF-8 byte-order mark is skipped; text nested deeper than any file
 * leakgate writes is refused before it is parsed. Usage error (exit 2) naming the file otherwise.
 */
export function parseJsonText(text: string, path: string, spec: Omit<JsonFileSpec, 'maxBytes'>): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (jsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw usageError(
      `${spec.what} ${path} nests arrays or objects more than ${MAX_JSON_DEPTH} deep: it is not one leakgate wrote (${spec.fix})`,
    );
  }
  try {
    return JSON.parse(body);
  } catch {
    throw usageError(`${path} is not valid JSON (${spec.fix})`);
  }
}

/**
 * Reads a JSON file a user gave: checked for its size before it is read (a huge file is refused, not
 * read into memory), opened without blocking (a FIFO is refused at once), then parsed by parseJsonText.
 * A missing file rejects with Node's ENOENT error, for the caller to word.
 */
export async function readJsonFile(path: string, spec: JsonFileSpec): Promise<unknown> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let text: string;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw usageError(`${spec.what} ${path} is not a regular file (${spec.fix})`);
    if (stats.size > spec.maxBytes) {
      throw usageError(
        `${spec.what} ${path} is ${formatBytes(stats.size)}, more than the ${formatBytes(spec.maxBytes)} leakgate reads (${spec.fix})`,
      );
    }
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  return parseJsonText(text, path, spec);
}
