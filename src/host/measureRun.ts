import type { RunConfig } from '../config/RunConfig.js';
import { LeakgateError } from '../errors.js';
import { toResultsJson } from '../results/resultsFile.js';
import type { EngineInfo, ModelIteration, RunFailure, RunResults } from '../results/RunResults.js';
import { writeJsonAtomic } from '../results/writeJsonAtomic.js';
import { RunAbort } from './RunAbort.js';
import { runScenario } from './runScenario.js';
import type { Scenario } from './scenarios.js';
import { startRunResults } from './startRunResults.js';

export interface MeasureHooks {
  signal?: AbortSignal;
  /** Called after each switch is measured and saved. */
  onSwitch?: (record: ModelIteration, results: RunResults) => void;
}

/**
 * Runs the scenario in a worker, rewriting the results file after every switch so nothing measured is
 * lost. A write that fails (disk full, file-size limit, read-only) stops the run: the failure is
 * recorded in the file if it can still be written; if not, the last good file stays, marked running,
 * which the gate refuses.
 */
export async function measureRun(config: RunConfig, scenario: Scenario, engine: EngineInfo, hooks: MeasureHooks): Promise<RunResults> {
  const results = startRunResults(config, engine);
  const save = (): Promise<void> => writeJsonAtomic(config.outPath, toResultsJson(results), 'results file');
  let writeFailure: RunFailure | null = null;
  // Nothing is written before the first switch: a run that stops before measuring keeps earlier results.
  const outcome = await runScenario(config, scenario, {
    signal: hooks.signal,
    async onRecord(record) {
      results.records.push(record);
      try {
        await save();
      } catch (error) {
        if (!(error instanceof LeakgateError)) throw error;
        writeFailure = {
          kind: 'write-failed', modelKey: record.modelKey, iteration: record.iteration, step: null, signal: null, timeoutMs: null,
          message: `${error.message}; the run stopped after ${results.records.length - 1} saved cycle(s)`,
        };
        throw new RunAbort(writeFailure);
      }
      hooks.onSwitch?.(record, results);
    },
  });
  if (outcome.referenceEngineVersion !== null) results.engine.reference = true;
  results.status = outcome.failure ? 'failed' : 'complete';
  results.failure = outcome.failure;
  results.finishedAt = new Date().toISOString();
  if (writeFailure) {
    // What can still be written: the switches saved before, and why the run stopped.
    results.records.pop();
    await save().catch(() => undefined);
    return results;
  }
  try {
    await save();
  } catch (error) {
    if (!(error instanceof LeakgateError)) throw error;
    results.status = 'failed';
    results.failure = { kind: 'write-failed', modelKey: null, iteration: results.records.at(-1)?.iteration ?? 0, step: null, signal: null, timeoutMs: null, message: error.message };
  }
  return results;
}
