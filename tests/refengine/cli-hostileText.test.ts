/**
 * Hostile input, by harm: untrusted text is text (issue 25). File names, truth text and job-summary
 * strings reach stdout and stderr, where the GitHub Actions runner executes any line that starts with
 * `::`, and the terminal obeys escape sequences. Through the real CLI, no line may.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { runCli, type CliResult } from '../cli/runCli.js';
import { refModelDir } from '../support/refModels.js';

const TIMEOUT_MS = 60_000;
const dir = refModelDir();
afterAll(dir.cleanup);

const EVIL_NAME = 'evil\n::error title=PWN::x\n::add-mask::b\u001b[31mred.bin';
const EVIL_TRUTH = 'hello\n::warning::from the truth\n\u001b]0;title\u0007';
let evilModel: string;
let goodModel: string;

/** Every output line that the runner would take for a workflow command, or that steers the terminal. */
function commandLines(result: CliResult): string[] {
  return `${result.stdout}\n${result.stderr}`
    .split(/[\n\r]/)
    .filter((line) => line.trimStart().startsWith('::') || line.includes('\u001b'));
}

beforeAll(async () => {
  goodModel = await dir.model('good');
  evilModel = join(dir.dir, EVIL_NAME);
  copyFileSync(goodModel, evilModel);
});

describe.concurrent('no output line from untrusted text is a workflow command', () => {
  it('run + gate, model "evil\\n::error title=PWN::x\\n::add-mask::b.bin", hostile --truth: no line starts with ::', async () => {
    const out = join(dir.dir, 'evil.json');
    const summary = join(dir.dir, 'summary.md');
    writeFileSync(summary, '');
    const run = await runCli(
      ['run', '--iterations', '2', '--verbose', '--model', evilModel, '--model', goodModel, '--truth', EVIL_TRUTH, '--out', out],
      { timeoutMs: TIMEOUT_MS },
    );
    expect(run.exitCode, run.stderr).toBe(ExitCode.gateFailed); // 2 iterations: undecided
    // The name is there, shown with its escapes.
    expect(run.stdout).toContain('evil\\n::error title=PWN::x\\n::add-mask::b\\x1b[31mred');
    expect(run.stdout).toContain('hello\\n::warning::from the truth');
    expect(commandLines(run)).toEqual([]);

    const gate = await runCli(['gate', out], { timeoutMs: TIMEOUT_MS, env: { ...process.env, GITHUB_STEP_SUMMARY: summary } });
    expect(gate.exitCode, gate.stderr).toBe(ExitCode.gateFailed);
    expect(gate.stdout).toContain('evil\\n::error');
    expect(commandLines(gate)).toEqual([]);

    // The job summary: the name stays inside its table cell and its Mermaid label.
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown.split('\n').filter((line) => line.trimStart().startsWith('::'))).toEqual([]);
    const rows = markdown.split('\n').filter((line) => line.startsWith('| evil'));
    expect(rows.length).toBeGreaterThan(0);
    // 7 cells between 8 unescaped pipes in the verdict table, 5 in the counts table: the name breaks neither.
    for (const row of rows) expect([7, 9]).toContain(row.split(/(?<!\\)\|/).length);
    expect(rows.some((row) => row.split(/(?<!\\)\|/).length === 9)).toBe(true);
    expect(markdown).not.toContain('\u001b');
  });

  it('engine output: a transcript with a newline, "::error::" and an escape sequence, printed by --verbose, is one line', async () => {
    const talker = await dir.model('talker', { transcript: 'said\n::error title=ENGINE::pwn\n\u001b[2Jdone' });
    const result = await runCli(['run', '--iterations', '2', '--verbose', '--model', talker, '--out', join(dir.dir, 'talker.json')], {
      timeoutMs: TIMEOUT_MS,
    });
    expect(result.exitCode, result.stderr).toBe(ExitCode.gateFailed); // 2 iterations: undecided
    expect(result.stdout).toContain('Result: said\\n::error title=ENGINE::pwn\\n\\x1b[2Jdone');
    expect(commandLines(result)).toEqual([]);
  });

  it('an error naming a hostile path stays one line', async () => {
    const missing = join(dir.dir, 'gone\n::error::injected\n.bin');
    const result = await runCli(['run', '--iterations', '2', '--model', missing, '--out', join(dir.dir, 'gone.json')], {
      timeoutMs: TIMEOUT_MS,
    });
    expect(result.exitCode).toBe(ExitCode.usage);
    const lines = result.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('gone\\n::error::injected\\n.bin');
    expect(commandLines(result)).toEqual([]);
  });
});
