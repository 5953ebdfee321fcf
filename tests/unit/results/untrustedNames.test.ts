import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { readBaseline } from '../../../src/gate/readBaseline.js';
import { readResultsFile } from '../../../src/pipelines/readResultsFile.js';
import { toResultsJson } from '../../../src/results/resultsFile.js';
import { captureIO } from '../../support/captureIO.js';
import { scratchDir } from '../../support/scratchDir.js';
import { syntheticRun } from '../report/fixtures/syntheticRun.js';

const scratch = scratchDir('leakgate-untrusted-names-');
afterAll(() => scratch.cleanup());

/** Would look, to the runner, like a workflow command after its TrimStart (.NET whitespace; `\s` plus U+0085 covers it). */
const RUNNER_TRIMS = /^[\s\u0085]+/;
const PWNED = '\u00a0::error title=pwned::injected';
const LEGACY = 'ok ##[error]legacy';

function resultsFileWith(name: string, labels: string[]): string {
  const run = syntheticRun(
    labels.map((label, i) => ({ key: `model_${i}`, label, netBytes: () => 0 })),
    6,
  );
  return scratch.file(name, JSON.stringify(toResultsJson(run)));
}

describe('names read back from a results file or a baseline', () => {
  it('leakgate analyze prints no line the runner would take for a workflow command, whatever the labels', async () => {
    const file = resultsFileWith('pwned.json', [PWNED, `${LEGACY}\n::warning::newline`]);
    const io = captureIO(scratch.dir);
    expect(await main(['analyze', file], io)).toBe(0);
    const lines = `${io.stdout}\n${io.stderr}`.split(/\r\n|\r|\n/);
    expect(lines.some((line) => line.includes('injected'))).toBe(true);
    expect(lines.filter((line) => line.replace(RUNNER_TRIMS, '').startsWith('::'))).toEqual([]);
    expect(lines.filter((line) => line.includes('##['))).toEqual([]);
  });

  it('labels and paths come back escaped from a leakgate results file; the names leakgate writes itself unchanged', async () => {
    const file = resultsFileWith('names.json', [PWNED, 'qwen3-asr-0.6b-q4_0', '模型', '0.6B']);
    const read = await readResultsFile(file);
    if (read.format !== 'leakgate') throw new Error(`read as ${read.format}`);
    expect(read.results.models.map((model) => model.label)).toEqual([
      '\u00a0\\::error title=pwned::injected',
      'qwen3-asr-0.6b-q4_0',
      '模型',
      '0.6B',
    ]);
    expect(read.results.models.map((model) => model.path)).toEqual(
      ['model_0', 'model_1', 'model_2', 'model_3'].map((k) => `/models/${k}.bin`),
    );
    expect(read.results.engine.path).toBe('/opt/libchatllm.so');
  });

  it("a seed results file's labels (from its model_* keys) come back escaped", async () => {
    const entry = { mem_before_load_mb: 800, mem_after_load_mb: 900, mem_after_infer_mb: 900, mem_after_unload_mb: 800 };
    const rows = [1, 2, 3].map((iteration) => ({ iteration, 'model_x ##[error]y': entry, model_06b: entry }));
    const read = await readResultsFile(scratch.file('seed.json', JSON.stringify({ iterations: rows })));
    if (read.format !== 'seed') throw new Error(`read as ${read.format}`);
    expect(read.series.map((series) => series.label)).toEqual(['x #\\#[error]y', '0.6B']);
  });

  it("a baseline's model labels come back escaped", async () => {
    const committed = fileURLToPath(new URL('../../../baselines/reference/linux-x64/switch--ref-small+ref-large.json', import.meta.url));
    const json = JSON.parse(readFileSync(committed, 'utf8')) as { models: { label: string }[] };
    json.models[0]!.label = '\u3000::add-mask::secret';
    const baseline = await readBaseline(scratch.file('baseline.json', JSON.stringify(json)), true);
    expect(baseline?.models.map((model) => model.label)).toEqual(['\u3000\\::add-mask::secret', 'ref-large']);
  });
});
