import type { AllocatorRetention } from '../analysis/allocatorRetention.js';
import { formatBytes } from '../units.js';

/**
 * What the allocator keeps after unload, per model, and what malloc_trim(0) gave back at the end of
 * the run, e.g. "ref-large: after unload (iteration 20) RssAnon is 3.6 GiB above a 5.8 MiB heap:
 * 3.5 GiB free in malloc's arenas, 90.0 MiB outside malloc". Empty when nothing was measured (off glibc).
 */
export function formatRetention(retention: AllocatorRetention): string {
  if (retention.afterUnload.length === 0 && !retention.trim) return '';
  const lines = ['', 'What the allocator keeps after unload'];
  for (const row of retention.afterUnload) {
    const parts = [
      row.allocatorFreeBytes === null ? null : `${formatBytes(row.allocatorFreeBytes)} free in malloc's arenas (retained by the allocator)`,
      row.outsideMallocBytes === null ? null : `${formatBytes(row.outsideMallocBytes)} outside malloc`,
    ].filter((part) => part !== null);
    lines.push(
      `  ${row.label}: after unload (iteration ${row.iteration}) RssAnon ${formatBytes(row.rssAnonBytes)} is ` +
        `${formatBytes(row.retainedBytes)} ` +
        `above a ${formatBytes(row.heapInUseBytes)} heap${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`,
    );
  }
  const { trim } = retention;
  if (trim) {
    lines.push(
      `  malloc_trim(0) after the last switch gave back ${formatBytes(trim.givenBackBytes)} ` +
        `(RssAnon ${formatBytes(trim.rssAnonBeforeBytes)} → ${formatBytes(trim.rssAnonAfterBytes)})`,
    );
  }
  return lines.join('\n');
}
