import type { EngineStep } from '../results/ProbeSample.js';

/** The C function running during each step: what a crash report names. */
export const ENGINE_CALL: Record<EngineStep, string> = {
  load: 'chatllm_start',
  infer: 'chatllm_user_input',
  unload: 'chatllm_destroy',
};

const SIGNAL_VERB: Partial<Record<NodeJS.Signals, string>> = {
  SIGABRT: 'aborted',
  SIGSEGV: 'crashed (segmentation fault)',
  SIGBUS: 'crashed (bus error)',
  SIGFPE: 'crashed (arithmetic exception)',
  SIGILL: 'crashed (illegal instruction)',
  SIGKILL: 'was killed',
};

/** "engine aborted in chatllm_destroy (SIGABRT)" */
export function describeCrash(step: EngineStep, signal: NodeJS.Signals | null, exitCode: number | null): string {
  const call = ENGINE_CALL[step];
  if (signal) return `engine ${SIGNAL_VERB[signal] ?? 'was killed'} in ${call} (${signal})`;
  return `engine process exited with code ${exitCode} in ${call}`;
}

/** " — model 1.7B, iteration 3, unload" */
export const where = (label: string, iteration: number, step: EngineStep): string => `model ${label}, iteration ${iteration}, ${step}`;
