import type { RunConfig } from '../config/RunConfig.js';
import { LeakgateError } from '../errors.js';
import { ResultsJournal } from '../results/ResultsJournal.js';
import type { EngineInfo, ModelIteration, RunFailure, RunResults } from '../results/RunResults.js';
import { RunAbort } from './RunAbort.js';
import { runScenario } from './runScenario.js';
import type { Scenario } from './scenarios.js';
import { startRunResults } from './startRunResults.js';

export interface MeasureHooks {
  signal?: AbortSignal;
  /** Called before each switch starts: `leakgate compare` waits there for this engine's turn. */
  beforeSwitch?: () => Promise<void> | void;
  /** Called after each switch is measured and journalled. */
  onSwitch?: (record: ModelIteration, results: RunResults) => void;
  /**
   * Called after the last switch, before the run is folded into the results file: what it adds to the
   * results (`run --attribute`'s sites) is in the one write. When it throws, the run is saved without
   * it and the error is thrown after.
   */
  beforeSave?: (results: RunResults) => Promise<void>;
  /**
   * Called after each iteration with the results so far (e.g. analysis/stopWhenDecided): `stop` ends the
   * run there, complete, and its reason (and how long its verdicts held) is kept in `results.stopping`.
   * Without it the run does config.iterations.
   */
  afterIteration?: (results: RunResults, iteration: number) => { stop: boolean; reason: string; held: number | null };
}

/**
 * Runs the scenario in a worker and keeps every switch: each is appended to the results file's journal
 * as it is measured (a cost per switch that does not grow with the run), and the run, however it ends,
 * is folded into the results file once. A write that fails (disk full, file-size limit, read-only) stops
 * the run as `write-failed`; the switches journalled before stay, in the results file if it can still be
 * written, in the journal beside it (which `analyze`, `report` and `gate` read, as unfinished) if not.
 * Throws only what runScenario throws (the library cannot be loaded): nothing is written then.
 */
export async function measureRun(config: RunConfig, scenario: Scenario, engine: EngineInfo, hooks: MeasureHooks): Promise<RunResults> {
  const results = startRunResults(config, engine);
  const journal = new ResultsJournal(config.outPath);
  // Set inside onRecord: an object, so the type checker sees the assignment after runScenario returns.
  const stopped: { writeFailure: RunFailure | null } = { writeFailure: null };
  const outcome = await runScenario(config, scenario, {
    signal: hooks.signal,
    beforeSwitch: hooks.beforeSwitch,
    afterIteration: hooks.afterIteration && ((iteration) => stopAfter(results, iteration, hooks.afterIteration!)),
    async onRecord(record) {
      try {
        await journal.append(results, record);
      } catch (error) {
        if (!(error instanceof LeakgateError)) throw error;
        stopped.writeFailure = {
          kind: 'write-failed',
          modelKey: record.modelKey,
          iteration: record.iteration,
          step: null,
          signal: null,
          timeoutMs: null,
          message: `${error.message}; the run stopped after ${results.records.length} saved switch(es)`,
        };
        throw new RunAbort(stopped.writeFailure);
      }
      results.records.push(record);
      hooks.onSwitch?.(record, results);
    },
  });
  if (outcome.referenceEngineVersion !== null) results.engine.reference = true;
  if (outcome.trimProbe) results.trimProbe = outcome.trimProbe;
  if (outcome.ledger) results.engine.ledger = outcome.ledger;
  results.status = outcome.failure ? 'failed' : 'complete';
  results.failure = outcome.failure;
  results.finishedAt = new Date().toISOString();
  let thrown: { error: unknown } | null = null;
  await hooks.beforeSave?.(results).catch((error: unknown) => void (thrown = { error }));
  try {
    await journal.finish(results);
  } catch (error) {
    if (!(error instanceof LeakgateError)) throw error;
    if (stopped.writeFailure) {
      results.failure = { ...stopped.writeFailure, message: `${stopped.writeFailure.message}, kept in ${journal.path}` };
    } else {
      const kept = results.records.length > 0 ? `; the ${results.records.length} measured switch(es) are kept in ${journal.path}` : '';
      results.status = 'failed';
      results.failure = {
        kind: 'write-failed',
        modelKey: null,
        iteration: results.records.at(-1)?.iteration ?? 0,
        step: null,
        signal: null,
        timeoutMs: null,
        message: `${error.message}${kept}`,
      };
    }
    await journal.keep(results);
  }
  if (thrown) throw (thrown as { error: unknown }).error;
  return results;
}

/** Asks the stop rule; on a stop, the run's plan becomes the iterations done, and the results say why. */
function stopAfter(results: RunResults, iteration: number, rule: NonNullable<MeasureHooks['afterIteration']>): boolean {
  const { stop, reason, held } = rule(results, iteration);
  if (stop) {
    results.iterationsPlanned = iteration;
    if (results.stopping) results.stopping = { ...results.stopping, reason, heldIterations: held };
  }
  return stop;
}
