import type { Probe } from './Probe.js';

/** Heap in use (glibc mallinfo2) and V8 heap, measured inside the worker and passed in the context. */
export const inWorkerProbe: Probe = {
  name: 'in-worker',
  async sample({ inWorker }) {
    return { heapInUseBytes: inWorker.heapInUseBytes, v8HeapUsedBytes: inWorker.v8HeapUsedBytes };
  },
};
