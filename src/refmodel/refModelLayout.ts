import type { RefModelCrashKind, RefModelStep } from './RefModelSpec.js';

/** Byte offsets and codes of the reference model header; must match native/refengine/refengine.c. */
export const refModelLayout = {
  magic: 'LGREFMDL',
  version: 2,
  offsets: {
    version: 8,
    headerBytes: 12,
    sizeBytes: 16,
    heapBytes: 24,
    kvBytes: 32,
    leakPerLoadBytes: 40,
    leakPerInferBytes: 48,
    plateauBytes: 56,
    noiseBytes: 64,
    plateauLoads: 72,
    ttftMs: 76,
    charMs: 80,
    flags: 84,
    crashStep: 88,
    crashIteration: 92,
    crashKind: 96,
    hangStep: 100,
    hangIteration: 104,
    transcriptLen: 108,
    fragmentBytes: 112,
    fragmentPinBytes: 120,
    mmapLeakPerLoadBytes: 124,
    transcript: 128,
  },
  flags: {
    keepMapping: 1,
    keepFd: 2,
    keepThread: 4,
    splitMarkers: 8,
    threadOnce: 16,
    leakEveryOtherLoad: 32,
    leakAsMmap: 64,
  },
  stepCodes: { load: 1, infer: 2, unload: 3 } satisfies Record<RefModelStep, number>,
  crashKindCodes: { abort: 1, segv: 2, kill: 3 } satisfies Record<RefModelCrashKind, number>,
} as const;

/** The u64 fields, in header order. */
export const refModelByteFields = [
  'sizeBytes',
  'heapBytes',
  'kvBytes',
  'leakPerLoadBytes',
  'leakPerInferBytes',
  'plateauBytes',
  'noiseBytes',
  'fragmentBytes',
] as const;

/** The u32 scalar fields. */
export const refModelCountFields = ['plateauLoads', 'ttftMs', 'charMs', 'fragmentPinBytes', 'mmapLeakPerLoadBytes'] as const;

/** The boolean fields, each one bit of `flags`. */
export const refModelFlagFields = [
  'keepMapping',
  'keepFd',
  'keepThread',
  'splitMarkers',
  'threadOnce',
  'leakEveryOtherLoad',
  'leakAsMmap',
] as const;
