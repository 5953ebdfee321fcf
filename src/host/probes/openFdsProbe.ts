import { readdir } from 'node:fs/promises';
import type { Probe } from './Probe.js';

/** Number of entries in /proc/PID/fd. */
export const openFdsProbe: Probe = {
  name: 'open-fds',
  async sample({ pid }) {
    return { openFds: (await readdir(`/proc/${pid}/fd`)).length };
  },
};
