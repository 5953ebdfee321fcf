import type { RefModelSpec } from './RefModelSpec.js';
import { formatSizeBytes } from '../units.js';

/** Each describer returns a phrase for what it covers, or undefined when there is nothing planted. */
const describers: Array<(spec: RefModelSpec) => string | undefined> = [
  (s) => `${formatSizeBytes(s.sizeBytes)} file`,
  (s) => `heap ${formatSizeBytes(s.heapBytes)}`,
  (s) => `kv ${formatSizeBytes(s.kvBytes)}`,
  (s) => (s.leakPerLoadBytes > 0 ? `leaks ${formatSizeBytes(s.leakPerLoadBytes)}/load` : undefined),
  (s) => (s.mmapLeakPerLoadBytes > 0 ? `leaks ${formatSizeBytes(s.mmapLeakPerLoadBytes)}/load by mmap (outside malloc)` : undefined),
  (s) => (s.leakPerInferBytes > 0 ? `leaks ${formatSizeBytes(s.leakPerInferBytes)}/infer` : undefined),
  (s) => (s.plateauLoads > 0 && s.plateauBytes > 0 ? `plateau ${formatSizeBytes(s.plateauBytes)} x ${s.plateauLoads} loads` : undefined),
  (s) => (s.noiseBytes > 0 ? `noise < ${formatSizeBytes(s.noiseBytes)}` : undefined),
  (s) =>
    s.fragmentBytes > 0
      ? `strands ${formatSizeBytes(s.fragmentBytes)}/load behind ${formatSizeBytes(Math.max(s.fragmentPinBytes, 16))} pins`
      : undefined,
  (s) => (s.keepMapping ? 'keeps mapping' : undefined),
  (s) => (s.keepFd ? 'keeps fd' : undefined),
  (s) => (s.keepThread ? 'leaks a thread/load' : undefined),
  (s) => (s.threadOnce ? 'starts one thread once' : undefined),
  (s) => (s.leakEveryOtherLoad ? 'leaks at every other load' : undefined),
  (s) => (s.leakAsMmap ? 'leaks as anonymous mmap' : undefined),
  (s) => (s.splitMarkers ? 'split markers' : undefined),
  (s) => (s.crash ? `crash (${s.crash.kind}) at ${s.crash.step}:${s.crash.iteration}` : undefined),
  (s) => (s.hang ? `hang at ${s.hang.step}:${s.hang.iteration}` : undefined),
  (s) => `ttft ${s.ttftMs} ms, ${s.charMs} ms/char`,
  (s) => `transcript ${JSON.stringify(s.transcript)}`,
];

/** One line saying what a reference model plants, e.g. for `make-ref-model` output and `doctor`. */
export function describeRefModelSpec(spec: RefModelSpec): string {
  return describers
    .map((describe) => describe(spec))
    .filter((phrase): phrase is string => phrase !== undefined)
    .join(', ');
}
