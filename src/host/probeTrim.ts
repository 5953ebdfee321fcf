import type { WorkerReplyOf } from '../protocol/WorkerMessage.js';
import type { TrimProbe, TrimProbeSample } from '../results/RunResults.js';
import { sampleProbes } from './probes.js';
import type { WorkerProcess } from './WorkerProcess.js';

/** The samples and malloc_trim(0) run no engine code: far below this even for gigabytes of arenas. */
const TRIM_PROBE_TIMEOUT_MS = 60_000;

/**
 * What malloc_trim(0) gives back once the run is over: anonymous memory split by owner just before
 * and just after the trim. Done once, after the last switch, so that no switch starts from a trimmed
 * heap (the seed never trimmed; trimming between switches would change what its fields measure).
 * Null when the worker cannot answer (it is gone, or off glibc nothing is trimmed).
 */
export async function probeTrim(worker: WorkerProcess, modelPath: string): Promise<TrimProbe | null> {
  try {
    const sample = async (): Promise<TrimProbeSample> => {
      const inWorker = await worker.request<WorkerReplyOf<'sample'>>({ type: 'sample' }, TRIM_PROBE_TIMEOUT_MS);
      const s = await sampleProbes({ pid: worker.pid, modelPath, inWorker });
      return {
        rssAnonBytes: s.rssAnonBytes,
        heapInUseBytes: s.heapInUseBytes,
        mallocArenaBytes: s.mallocArenaBytes ?? null,
        mallocMmappedBytes: s.mallocMmappedBytes ?? null,
        outsideMallocBytes: s.outsideMallocBytes ?? null,
      };
    };
    const before = await sample();
    if (before.heapInUseBytes === null) return null;
    const { trimMs } = await worker.request<WorkerReplyOf<'trimmed'>>({ type: 'trim' }, TRIM_PROBE_TIMEOUT_MS);
    return { before, after: await sample(), trimMs };
  } catch {
    return null;
  }
}
