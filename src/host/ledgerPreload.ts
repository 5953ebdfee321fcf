import { LEDGER_ENV } from '../protocol/WorkerMessage.js';
import { buildLedger } from '../refmodel/buildRefEngine.js';

/**
 * The worker's environment with the allocation ledger (native/ledger) preloaded: first in LD_PRELOAD,
 * ahead of any preload already set (heaptrack's), so that the ledger sees the engine's own calls and
 * passes them on. The host's own environment is never changed. The ledger is built on first use when
 * missing (leakgate as a dependency, where install scripts did not run); without a compiler, or with
 * LEAKGATE_LEDGER=0 in `env`, the worker runs without it and the engine-heap signal is absent.
 */
export async function withLedgerPreload(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  if (env[LEDGER_ENV] === '0') return env;
  let libraryPath: string;
  try {
    libraryPath = (await buildLedger()).libraryPath;
  } catch {
    return env;
  }
  const existing = env['LD_PRELOAD'];
  return { ...env, LD_PRELOAD: existing ? `${libraryPath}:${existing}` : libraryPath };
}
