import type { EngineStep } from '../results/ProbeSample.js';
import { describeCrash, ENGINE_CALL, where } from './describeFailure.js';
import { RunAbort } from './RunAbort.js';
import { WorkerCrashError, WorkerTimeoutError } from './WorkerProcess.js';

/**
 * Turns a worker crash or timeout into a RunAbort naming the model, iteration and step;
 * rethrows anything else (a harness bug must not pass for an engine failure).
 */
export function toRunAbort(error: unknown, modelKey: string, label: string, iteration: number, step: EngineStep | null): RunAbort {
  if (error instanceof RunAbort) return error;
  const at = step ? where(label, iteration, step) : `model ${label}, iteration ${iteration}, sampling`;
  if (error instanceof WorkerCrashError) {
    const tail = error.stderrTail.at(-1);
    const what = step ? describeCrash(step, error.signal, error.exitCode) : `worker died (${error.signal ?? `exit ${error.exitCode}`})`;
    return new RunAbort({
      kind: 'crash', modelKey, iteration, step, signal: error.signal, timeoutMs: null,
      message: `${what} — ${at}${tail ? ` [stderr: ${tail}]` : ''}`,
    });
  }
  if (error instanceof WorkerTimeoutError) {
    const what = step ? `engine hung in ${ENGINE_CALL[step]}` : 'worker hung';
    return new RunAbort({
      kind: 'hang', modelKey, iteration, step, signal: null, timeoutMs: error.timeoutMs,
      message: `${what}: no answer within ${error.timeoutMs} ms, worker killed — ${at} (raise limits with --timeout-scale)`,
    });
  }
  throw error;
}
