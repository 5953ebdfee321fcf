import { LEDGER_ENV } from '../protocol/WorkerMessage.js';
import { buildLedger } from '../refmodel/buildRefEngine.js';

/**
 * The worker's environment additions with the allocation ledger (native/ledger) preloaded: first in
 * LD_PRELOAD, ahead of any preload already set (heaptrack's), so that the ledger sees the engine's own
 * calls and passes them on. The host's own environment is never changed. The ledger is built on first
 * use when missing (leakgate as a dependency, where install scripts did not run); without a compiler,
 * or with LEAKGATE_LEDGER=0, the worker runs without it and the engine-heap signal is absent.
 */
export async function withLedgerPreload(env: NodeJS.ProcessEnv, workerEnv: Record<string, string>): Promise<Record<string, string>> {
  if ((workerEnv[LEDGER_ENV] ?? env[LEDGER_ENV]) === '0') return workerEnv;
  let libraryPath: string;
  try {
    libraryPath = (await buildLedger()).libraryPath;
  } catch {
    return workerEnv;
  }
  const existing = workerEnv['LD_PRELOAD'] ?? env['LD_PRELOAD'];
  return { ...workerEnv, LD_PRELOAD: existing ? `${libraryPath}:${existing}` : libraryPath };
}
