import { readFile } from 'node:fs/promises';
import { KIB } from '../units.js';

/** MemAvailable from the text of /proc/meminfo, in bytes, or null when absent. */
export function parseMemAvailableBytes(meminfoText: string): number | null {
  const match = /^MemAvailable:\s+(\d+)\s+kB$/m.exec(meminfoText);
  return match ? Number(match[1]) * KIB : null;
}

/** The kernel's estimate of memory available without swapping, in bytes; null off Linux. */
export async function readMemAvailableBytes(meminfoPath = '/proc/meminfo'): Promise<number | null> {
  try {
    return parseMemAvailableBytes(await readFile(meminfoPath, 'utf8'));
  } catch {
    return null;
  }
}
