import type { EngineStep } from '../results/ProbeSample.js';
import { describeCrash, ENGINE_CALL, where } from './describeFailure.js';
import { RunAbort } from './RunAbort.js';
import { describeFrame, isEngineFrame } from '../results/NativeFrame.js';
import { symbolizeNativeStack } from './symbolizeNativeStack.js';
import { WorkerCrashError, WorkerTimeoutError } from './WorkerProcess.js';

/** Engine frames the one-line crash message names (the results file keeps the whole stack). */
const CRASH_FRAMES_IN_MESSAGE = 4;

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
    const nativeStack = error.nativeFrames.length > 0 ? symbolizeNativeStack(error.nativeFrames) : [];
    // Inlined copies of one function (a .part or .cold clone) read as one frame.
    const engineFrames = nativeStack.filter(isEngineFrame).filter((frame, i, all) => i === 0 || frame.function !== all[i - 1]!.function);
    // With a stack: "engine aborted in chatllm_destroy (SIGABRT): free(): invalid pointer ← ~CoreAttention() (src/layers.h:12) ← …"
    const message =
      engineFrames.length > 0
        ? `${what}${tail ? `: ${tail}` : ''} ← ${engineFrames.slice(0, CRASH_FRAMES_IN_MESSAGE).map(describeFrame).join(' ← ')}` +
          `${engineFrames.length > CRASH_FRAMES_IN_MESSAGE ? ' ← …' : ''} — ${at}`
        : `${what} — ${at}${tail ? ` [stderr: ${tail}]` : ''}`;
    return new RunAbort({
      kind: 'crash',
      modelKey,
      iteration,
      step,
      signal: error.signal,
      timeoutMs: null,
      message,
      ...(nativeStack.length > 0 ? { nativeStack } : {}),
    });
  }
  if (error instanceof WorkerTimeoutError) {
    const what = step ? `engine hung in ${ENGINE_CALL[step]}` : 'worker hung';
    return new RunAbort({
      kind: 'hang',
      modelKey,
      iteration,
      step,
      signal: null,
      timeoutMs: error.timeoutMs,
      message: `${what}: no answer within ${error.timeoutMs} ms, worker killed — ${at} (raise limits with --timeout-scale)`,
    });
  }
  throw error;
}
