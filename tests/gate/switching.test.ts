/**
 * The gate: the switching scenario on the engine and models configured as for `leakgate run`
 * (LIBCHATLLM, LEAKGATE_MODELS; by default the reference engine on two generated models),
 * judged and compared with the checked-in baseline. ITERATIONS overrides the switch count.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBaseline } from '../../src/gate/readBaseline.js';
import { run } from '../../src/run.js';
import '../../src/vitest/matchers.js';

/** Enough switches to see a leak of a few KiB per switch on heap in use (see the sensitivity table in the README). */
const DEFAULT_GATE_ITERATIONS = 15;

describe('leak gate: switch scenario', () => {
  it('has no leak and stays within the baseline', async () => {
    const iterations = Number(process.env.ITERATIONS ?? DEFAULT_GATE_ITERATIONS);
    const out = join(process.env.LEAKGATE_RESULTS_DIR ?? mkdtempSync(join(tmpdir(), 'leakgate-gate-')), 'model_switch_results.json');
    const outcome = await run(
      { iterations, out },
      {
        // Progress goes to the terminal so a long real-engine run shows it is alive.
        log: (text) => process.stderr.write(`${text}\n`),
        error: (text) => process.stderr.write(`error: ${text}\n`),
        write: (text) => process.stderr.write(text),
        tty: false,
        env: process.env,
        cwd: process.cwd(),
      },
    );
    expect(outcome).toHaveNoLeak();
    expect(outcome).toStayWithin(await readBaseline(outcome.baselineFile));
  });
});
