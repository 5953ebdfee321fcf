import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** cgroup v1 reports "no limit" as a huge number (LONG_MAX rounded down to a page); anything above is none. */
const NO_LIMIT_ABOVE_BYTES = 2 ** 60;

/** The memory cgroup a process lives in, as its files are read. */
export interface MemoryCgroup {
  version: 1 | 2;
  /** Folder holding memory.max (v2) or memory.limit_in_bytes (v1). */
  dir: string;
}

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/**
 * Finds the memory cgroup of `pid` (default: this process) from /proc/PID/cgroup: the v2 unified
 * hierarchy ("0::/path") when it has memory.max, else the v1 memory controller ("N:memory:/path").
 * Inside a container the path may not exist under the mount (a cgroup namespace shows "/"): the
 * mount's root is used then. null when there is no memory cgroup to read.
 */
export function findMemoryCgroup(pid: number | 'self' = 'self', root = '/sys/fs/cgroup'): MemoryCgroup | null {
  const text = read(`/proc/${pid}/cgroup`);
  if (text === null) return null;
  for (const line of text.split('\n')) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (controllers === '' && path !== undefined) {
      for (const dir of [join(root, path), root, join(root, 'unified', path)])
        if (read(join(dir, 'memory.max')) !== null) return { version: 2, dir };
    }
    if (controllers?.split(',').includes('memory') && path !== undefined) {
      for (const dir of [join(root, 'memory', path), join(root, 'memory')])
        if (read(join(dir, 'memory.limit_in_bytes')) !== null) return { version: 1, dir };
    }
  }
  return null;
}

/** The cgroup's memory limit and current use, in bytes; null when it sets no limit. */
export function readMemoryLimit(cgroup: MemoryCgroup | null = findMemoryCgroup()): { limitBytes: number; usageBytes: number } | null {
  if (!cgroup) return null;
  const [limitFile, usageFile] =
    cgroup.version === 2 ? ['memory.max', 'memory.current'] : ['memory.limit_in_bytes', 'memory.usage_in_bytes'];
  const limit = read(join(cgroup.dir, limitFile))?.trim();
  if (!limit || limit === 'max' || !(Number(limit) < NO_LIMIT_ABOVE_BYTES)) return null;
  return { limitBytes: Number(limit), usageBytes: Number(read(join(cgroup.dir, usageFile))?.trim() ?? 0) || 0 };
}

/** How many processes the OOM killer has killed in the cgroup (memory.events v2, memory.oom_control v1); null when unreadable. */
export function readOomKillCount(cgroup: MemoryCgroup | null = findMemoryCgroup()): number | null {
  if (!cgroup) return null;
  const text = read(join(cgroup.dir, cgroup.version === 2 ? 'memory.events' : 'memory.oom_control'));
  const match = text === null ? null : /^oom_kill (\d+)$/m.exec(text);
  return match ? Number(match[1]) : null;
}
