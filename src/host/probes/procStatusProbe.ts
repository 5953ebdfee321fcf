import { readFile } from 'node:fs/promises';
import type { Probe } from './Probe.js';
import { KIB } from '../../units.js';

/** Parses `Key:   123 kB` lines of /proc/PID/status into bytes (or plain counts without a unit). */
export function parseProcStatus(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)(\s+kB)?/.exec(line);
    if (match) fields.set(match[1]!, Number(match[2]) * (match[3] ? KIB : 1));
  }
  return fields;
}

/** RssAnon, RssFile, RssShmem, VmHWM and Threads as the kernel reports them in /proc/PID/status. */
export const procStatusProbe: Probe = {
  name: 'proc-status',
  async sample({ pid }) {
    const fields = parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
    return {
      rssAnonBytes: fields.get('RssAnon') ?? 0,
      rssFileBytes: fields.get('RssFile') ?? 0,
      rssShmemBytes: fields.get('RssShmem') ?? 0,
      vmHwmBytes: fields.get('VmHWM') ?? 0,
      threads: fields.get('Threads') ?? 0,
    };
  },
};
