import { resolve } from 'node:path';
import { refuseNonRegularFileSync } from '../files/fileKind.js';
import { fileSystemError } from '../files/fileSystemError.js';
import { openOutputFile, refuseOutputOverInput, refuseUnsafeOutput, type NamedPath } from '../files/outputFile.js';

const FIX = 'set GITHUB_STEP_SUMMARY to the job summary file the runner made, or unset it';
const WHAT = 'job summary (GITHUB_STEP_SUMMARY)';

/**
 * Checks $GITHUB_STEP_SUMMARY before a command reads anything: no link, FIFO (an append would block for
 * good) or device, and none of the files the command reads (`inputs`: the results file, the baseline).
 * Usage error (exit 2) naming both otherwise; nothing to check when it is unset.
 */
export function checkJobSummary(env: NodeJS.ProcessEnv, cwd: string, inputs: readonly NamedPath[]): void {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  const absolute = resolve(cwd, path);
  refuseUnsafeOutput(absolute, WHAT, FIX);
  refuseNonRegularFileSync(absolute, WHAT, FIX);
  refuseOutputOverInput({ what: WHAT, path: absolute }, inputs, FIX);
}

/** Appends Markdown to $GITHUB_STEP_SUMMARY (when set), never through a link or into a FIFO. */
export async function appendJobSummary(env: NodeJS.ProcessEnv, cwd: string, markdown: string): Promise<void> {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  const absolute = resolve(cwd, path);
  try {
    const handle = await openOutputFile(absolute, 'append', WHAT, FIX);
    try {
      await handle.writeFile(markdown);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileSystemError(error, `cannot append to the ${WHAT}`, absolute);
  }
}
