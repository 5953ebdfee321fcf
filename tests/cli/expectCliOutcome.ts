import { appendFileSync, readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { STACK_LINE, type CliResult } from './runCli.js';

export interface ExpectedOutcome {
  exitCode: number;
  /** Fragments the one error line must contain (the thing it names, the fix). */
  error?: (string | RegExp)[];
  /** Other stderr lines the command may print besides its error line (e.g. the Ctrl-C notice). */
  otherStderrLines?: number;
  /** True when the run must stop before a worker (and so any measurement) starts. */
  noWorker?: boolean;
  /** Folder that must hold none of this run's temp files afterwards (results OUT.PID.tmp, write probes). */
  outDir?: string;
}

const nonEmptyLines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

/**
 * The contract every CLI outcome keeps: the documented exit code, within its timeout, ONE error line
 * on stderr naming the thing (no stack trace, never "internal error"), no process left behind, no
 * temp file left behind.
 */
export function expectCliOutcome(result: CliResult, expected: ExpectedOutcome): string | null {
  const context = `stderr:\n${result.stderr}\nstdout (tail):\n${result.stdout.slice(-1500)}`;
  expect(result.timedOut, `timed out after ${Math.round(result.durationMs)} ms; ${context}`).toBe(false);
  expect(result.exitCode, context).toBe(expected.exitCode);
  expect(result.stderr, context).not.toMatch(STACK_LINE);
  expect(result.stderr, context).not.toContain('internal error');
  expect(result.survivors, `processes left behind: ${result.survivors.map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`).toEqual([]);
  if (expected.noWorker) {
    expect(
      result.descendants.filter((p) => p.cmdline.includes('workerMain.ts')),
      'a worker was started',
    ).toEqual([]);
  }
  if (expected.outDir) {
    // Only this run's: tests running side by side share the folder.
    const ours = (name: string): boolean => name.endsWith(`.${result.pid}.tmp`) || name === `.leakgate-write-check-${result.pid}`;
    expect(readdirSync(expected.outDir).filter(ours)).toEqual([]);
  }

  // LEAKGATE_CLI_MATRIX=FILE collects every row's exit code and error line (for reports).
  if (process.env.LEAKGATE_CLI_MATRIX) {
    const firstError = nonEmptyLines(result.stderr).find((line) => line.startsWith('leakgate ')) ?? '-';
    const command = `leakgate ${result.args.join(' ')}`.replace(/\/tmp\/leakgate-test-\w+/g, '$T');
    appendFileSync(
      process.env.LEAKGATE_CLI_MATRIX,
      `${command}\t${result.exitCode ?? result.signal}\t${Math.round(result.durationMs)} ms\t${firstError}\n`,
    );
  }

  const lines = nonEmptyLines(result.stderr);
  const errorLines = lines.filter((line) => line.startsWith('leakgate '));
  if (!expected.error) {
    expect(errorLines, context).toEqual([]);
    return null;
  }
  expect(errorLines, context).toHaveLength(1);
  expect(lines, context).toHaveLength(1 + (expected.otherStderrLines ?? 0));
  const line = errorLines[0]!;
  for (const fragment of expected.error) {
    if (typeof fragment === 'string') expect(line).toContain(fragment);
    else expect(line).toMatch(fragment);
  }
  return line;
}
