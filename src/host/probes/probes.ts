import type { ProbeSample } from '../../results/ProbeSample.js';
import { inWorkerProbe } from './inWorkerProbe.js';
import { modelMappingsProbe } from './modelMappingsProbe.js';
import { openFdsProbe } from './openFdsProbe.js';
import { pidusageProbe } from './pidusageProbe.js';
import type { Probe, ProbeContext } from './Probe.js';
import { procStatusProbe } from './procStatusProbe.js';

/** Every probe sampled at every phase. Add a probe here and a field to ProbeSample. */
export const PROBES: readonly Probe[] = [
  pidusageProbe,
  procStatusProbe,
  openFdsProbe,
  modelMappingsProbe,
  inWorkerProbe,
];

const EMPTY_SAMPLE: ProbeSample = {
  rssBytes: 0,
  rssAnonBytes: 0,
  rssFileBytes: 0,
  rssShmemBytes: 0,
  vmHwmBytes: 0,
  threads: 0,
  openFds: 0,
  modelMappings: 0,
  modelMappedBytes: 0,
  heapInUseBytes: null,
  v8HeapUsedBytes: 0,
};

/** Runs every probe and merges their figures into one sample. */
export async function sampleProbes(context: ProbeContext, probes: readonly Probe[] = PROBES): Promise<ProbeSample> {
  const parts = await Promise.all(probes.map((probe) => probe.sample(context)));
  return Object.assign({ ...EMPTY_SAMPLE }, ...parts) as ProbeSample;
}
