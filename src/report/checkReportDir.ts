import { existsSync, statSync } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { usageError } from '../errors.js';
import { nonRegularKind } from '../files/fileKind.js';

/**
 * The report folder (--report, report -o): a folder, or one that can be made, where a file can be
 * created. Checked before a run, never after it. Usage error (exit 2) naming the folder otherwise.
 */
export async function checkReportDir(dir: string, flag = '--report'): Promise<void> {
  const fix = `pass ${flag} DIR to a writable folder`;
  const existing = await stat(dir).catch(() => null);
  if (existing && !existing.isDirectory()) throw usageError(`cannot write the report into ${dir}: it is ${nonRegularKind(existing) ?? 'a file'}, not a folder (${fix})`);
  let folder = dir;
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  if (!statSync(folder).isDirectory()) throw usageError(`cannot write the report into ${dir}: ${folder} is a file, not a folder (${fix})`);
  const probe = join(folder, `.leakgate-write-check-${process.pid}`);
  try {
    await (await open(probe, 'w')).close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(`cannot write the report into ${dir}: creating a file in ${folder} failed with ${code} (${fix})`);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
