import { readdir, readFile, realpath } from 'node:fs/promises';
import pidusage from 'pidusage';
import type { PhaseName, ProbeSample } from '../results/ProbeSample.js';
import { KIB } from '../units.js';
import { anonymousMemoryProbe } from './anonymousMemoryProbe.js';
import { engineLedgerSample } from './engineLedgerSample.js';
import type { WorkerReplyOf } from '../protocol/WorkerMessage.js';

/** What a probe may look at when the host samples the worker. */
export interface ProbeContext {
  pid: number;
  /** The model file of the current switch (its mappings are counted in /proc/PID/maps). */
  modelPath: string;
  /** In-worker figures (mallinfo2, V8), fetched once per sample by the host. */
  inWorker: Omit<WorkerReplyOf<'sample'>, 'id' | 'type'>;
  /** The phase being sampled, when the probe records more at some phases (outside-malloc mappings after unload). */
  phase?: PhaseName;
}

/** One source of figures; the host runs every probe of the registry at every phase. */
export interface Probe {
  name: string;
  sample(context: ProbeContext): Promise<Partial<ProbeSample>>;
}

/** RSS of the worker as pidusage reports it (what psutil's memory_info().rss gave the seed). */
const pidusageProbe: Probe = {
  name: 'pidusage',
  async sample({ pid }) {
    const stats = await pidusage(pid);
    return { rssBytes: stats.memory };
  },
};

/** Parses `Key:   123 kB` lines of /proc/PID/status into bytes (or plain counts without a unit). */
export function parseProcStatus(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)(\s+kB)?/.exec(line);
    if (match) fields.set(match[1]!, Number(match[2]) * (match[3] ? KIB : 1));
  }
  return fields;
}

/** RssAnon, RssFile, RssShmem, VmHWM and Threads as the kernel reports them in /proc/PID/status. */
const procStatusProbe: Probe = {
  name: 'proc-status',
  async sample({ pid }) {
    const fields = parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
    return {
      rssAnonBytes: fields.get('RssAnon') ?? 0,
      rssFileBytes: fields.get('RssFile') ?? 0,
      rssShmemBytes: fields.get('RssShmem') ?? 0,
      vmHwmBytes: fields.get('VmHWM') ?? 0,
      threads: fields.get('Threads') ?? 0,
    };
  },
};

/** Number of entries in /proc/PID/fd. */
const openFdsProbe: Probe = {
  name: 'open-fds',
  async sample({ pid }) {
    return { openFds: (await readdir(`/proc/${pid}/fd`)).length };
  },
};

/**
 * Counts /proc/PID/maps lines whose path is `filePath` (a deleted file shows as "PATH (deleted)") and
 * the bytes of address space they span.
 */
export function countMappings(mapsText: string, filePath: string): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const line of mapsText.split('\n')) {
    const fields = line.split(/\s+/);
    const path = fields.slice(5).join(' ');
    if (path !== filePath && path !== `${filePath} (deleted)`) continue;
    count += 1;
    const [start, end] = (fields[0] ?? '').split('-').map((hex) => Number.parseInt(hex, 16));
    if (Number.isFinite(start) && Number.isFinite(end)) bytes += end! - start!;
  }
  return { count, bytes };
}

/** Mappings of the current model file: chatllm.cpp mmaps weights, and unload must unmap them. */
const modelMappingsProbe: Probe = {
  name: 'model-mappings',
  async sample({ pid, modelPath }) {
    const resolved = await realpath(modelPath).catch(() => modelPath);
    const { count, bytes } = countMappings(await readFile(`/proc/${pid}/maps`, 'utf8'), resolved);
    return { modelMappings: count, modelMappedBytes: bytes };
  },
};

/** Heap in use (glibc mallinfo2) and V8 heap, measured inside the worker and passed in the context. */
const inWorkerProbe: Probe = {
  name: 'in-worker',
  async sample({ inWorker }) {
    return { heapInUseBytes: inWorker.heapInUseBytes, v8HeapUsedBytes: inWorker.v8HeapUsedBytes };
  },
};

/** The engine's own heap and anonymous mmaps, exact, from the allocation ledger in the worker (absent without it). */
const engineLedgerProbe: Probe = {
  name: 'engine-ledger',
  async sample({ inWorker: { engine, engineSites } }) {
    return engineLedgerSample(engine, engineSites);
  },
};

/** Every probe sampled at every phase. Add a probe here and a field to ProbeSample. */
const PROBES: readonly Probe[] = [
  pidusageProbe,
  procStatusProbe,
  openFdsProbe,
  modelMappingsProbe,
  inWorkerProbe,
  anonymousMemoryProbe,
  engineLedgerProbe,
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
