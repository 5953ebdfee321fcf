import { KIB } from '../units.js';

/** One mapping of /proc/PID/smaps with the figures leakgate reads. */
export interface SmapsMapping {
  startAddress: bigint;
  endAddress: bigint;
  /** `rw-p`, `---p`, ... */
  perms: string;
  /** The pathname column: a file, `[heap]`, `[stack]`, `[anon:NAME]`, or '' for an unnamed anonymous mapping. */
  name: string;
  /** Whether the mapping has no file behind it (inode 0). */
  anonymous: boolean;
  /** `Anonymous:`: resident anonymous pages (also the private copies in a file mapping), in bytes. */
  anonymousBytes: number;
}

const HEADER = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S{4})\s+\S+\s+\S+\s+(\d+)\s*(.*)$/;
const ANONYMOUS = /^Anonymous:\s+(\d+)\s+kB/;

/** Parses /proc/PID/smaps; lines it does not read are skipped. */
export function parseSmaps(text: string): SmapsMapping[] {
  const mappings: SmapsMapping[] = [];
  let current: SmapsMapping | null = null;
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      current = {
        startAddress: BigInt(`0x${header[1]}`),
        endAddress: BigInt(`0x${header[2]}`),
        perms: header[3]!,
        name: header[5]!.trim(),
        anonymous: header[4] === '0',
        anonymousBytes: 0,
      };
      mappings.push(current);
      continue;
    }
    const anonymous = current ? ANONYMOUS.exec(line) : null;
    if (anonymous && current) current.anonymousBytes = Number(anonymous[1]) * KIB;
  }
  return mappings;
}
