import { stat } from 'node:fs/promises';
import { usageError } from '../errors.js';
import { checkWritableFolder } from '../files/checkWritableFile.js';
import { nonRegularKind } from '../files/fileKind.js';

/**
 * The report folder (--report, report -o): a folder, or one that can be made, where a file can be
 * created. Checked before a run, never after it. Usage error (exit 2) naming the folder otherwise.
 */
export async function checkReportDir(dir: string, flag = '--report'): Promise<void> {
  const fix = `pass ${flag} DIR to a writable folder`;
  const existing = await stat(dir).catch(() => null);
  if (existing && !existing.isDirectory()) throw usageError(`cannot write the report into ${dir}: it is ${nonRegularKind(existing) ?? 'a file'}, not a folder (${fix})`);
  await checkWritableFolder(dir, `cannot write the report into ${dir}`, fix);
}
