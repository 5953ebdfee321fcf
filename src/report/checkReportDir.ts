import { stat } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { usageError } from '../errors.js';
import { checkWritableFolder } from '../files/checkWritableFile.js';
import { nonRegularKind } from '../files/fileKind.js';
import { refuseOutputOverInput, refuseUnsafeOutput, type NamedPath } from '../files/outputFile.js';
import { REPORT_HTML_NAME } from './reportFileNames.js';

const realOrSelf = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

/**
 * The report folder (--report, report -o): a folder, or one that can be made, where a file can be
 * created; its report.html is no link, FIFO or device; and no file the command reads or writes
 * (`inputs`: the results file, models, baseline ...) is one the report would replace (report.html or an
 * SVG chart). Checked before a run, never after it. Usage error (exit 2) naming the folder otherwise.
 */
export async function checkReportDir(dir: string, flag = '--report', inputs: readonly NamedPath[] = []): Promise<void> {
  const fix = `pass ${flag} DIR to a writable folder`;
  const existing = await stat(dir).catch(() => null);
  if (existing && !existing.isDirectory())
    throw usageError(`cannot write the report into ${dir}: it is ${nonRegularKind(existing) ?? 'a file'}, not a folder (${fix})`);
  await checkWritableFolder(dir, `cannot write the report into ${dir}`, fix);
  const htmlPath = join(dir, REPORT_HTML_NAME);
  refuseUnsafeOutput(htmlPath, 'report', `remove it, or ${fix}`);
  const otherFix = `${fix} that holds none of the files it reads`;
  refuseOutputOverInput({ what: 'report', path: htmlPath }, inputs, otherFix);
  // The charts' names depend on the models: any SVG in the folder may be one of them.
  const realDir = realOrSelf(dir);
  for (const input of inputs) {
    const real = realOrSelf(input.path);
    if (real.endsWith('.svg') && dirname(real) === realDir) {
      throw usageError(`the report folder ${dir} would replace the ${input.what} ${input.path} with a chart (${otherFix})`);
    }
  }
}
