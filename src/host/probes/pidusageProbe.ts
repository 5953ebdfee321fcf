import pidusage from 'pidusage';
import type { Probe } from './Probe.js';

/** RSS of the worker as pidusage reports it (what psutil's memory_info().rss gave the seed). */
export const pidusageProbe: Probe = {
  name: 'pidusage',
  async sample({ pid }) {
    const stats = await pidusage(pid);
    return { rssBytes: stats.memory };
  },
};
