import type { ProbeSample } from '../../results/ProbeSample.js';

/** What a probe may look at when the host samples the worker. */
export interface ProbeContext {
  pid: number;
  /** The model file of the current cycle (its mappings are counted in /proc/PID/maps). */
  modelPath: string;
  /** In-worker figures (mallinfo2, V8), fetched once per sample by the host. */
  inWorker: { heapInUseBytes: number | null; v8HeapUsedBytes: number };
}

/** One source of figures; the host runs every probe of the registry at every phase. */
export interface Probe {
  name: string;
  sample(context: ProbeContext): Promise<Partial<ProbeSample>>;
}
