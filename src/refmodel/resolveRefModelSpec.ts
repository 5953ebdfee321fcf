import { usageError } from '../errors.js';
import type { RefModelSpec } from './RefModelSpec.js';
import { refModelByteFields, refModelCountFields, refModelLayout } from './refModelLayout.js';
import { MIB } from '../units.js';

const U32_MAX = 0xffff_ffff;

/** The defaults that do not depend on other fields. */
export const refModelDefaults = {
  sizeBytes: 32 * MIB,
  leakPerLoadBytes: 0,
  leakPerInferBytes: 0,
  plateauLoads: 0,
  plateauBytes: 0,
  noiseBytes: 0,
  fragmentBytes: 0,
  fragmentPinBytes: 0,
  mmapLeakPerLoadBytes: 0,
  ttftMs: 20,
  charMs: 2,
  keepMapping: false,
  keepFd: false,
  keepThread: false,
  threadOnce: false,
  leakEveryOtherLoad: false,
  leakAsMmap: false,
  splitMarkers: false,
  crash: null,
  hang: null,
  transcript: '零九零零零七三三三一',
} as const satisfies Omit<RefModelSpec, 'heapBytes' | 'kvBytes'>;

/** Header size for a transcript: the file can be no smaller. */
export function refModelHeaderBytes(transcript: string): number {
  return refModelLayout.offsets.transcript + Buffer.byteLength(transcript, 'utf8');
}

function checkIteration(field: string, iteration: number): void {
  if (!Number.isInteger(iteration) || iteration < 1 || iteration > U32_MAX) {
    throw usageError(`reference model ${field} must be a whole number >= 1, got ${iteration} (iterations count loads from 1)`);
  }
}

/**
 * Fills defaults (32 MiB file, heap = size, KV cache = size / 8, no leaks) and checks that every field
 * fits the file format; throws a usage error naming the field otherwise.
 */
export function resolveRefModelSpec(partial: Partial<RefModelSpec>): RefModelSpec {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) as Partial<RefModelSpec>;
  const { sizeBytes: defaultSizeBytes, ...otherDefaults } = refModelDefaults;
  const sizeBytes = defined.sizeBytes ?? defaultSizeBytes;
  const derivable = Number.isSafeInteger(sizeBytes);
  const spec: RefModelSpec = {
    sizeBytes,
    heapBytes: derivable ? sizeBytes : 0,
    kvBytes: derivable ? Math.floor(sizeBytes / 8) : 0,
    ...otherDefaults,
    ...defined,
  };

  for (const field of refModelByteFields) {
    const value = spec[field];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw usageError(`reference model ${field} must be a whole number of bytes >= 0, got ${value}`);
    }
  }
  for (const field of refModelCountFields) {
    const value = spec[field];
    if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
      throw usageError(`reference model ${field} must be a whole number in 0..${U32_MAX}, got ${value}`);
    }
  }
  if (typeof spec.transcript !== 'string') {
    throw usageError('reference model transcript must be a string');
  }
  const headerBytes = refModelHeaderBytes(spec.transcript);
  if (spec.sizeBytes < headerBytes) {
    throw usageError(
      `reference model sizeBytes ${spec.sizeBytes} is smaller than its header (${headerBytes} bytes); use a larger ` +
        `size or a shorter transcript`,
    );
  }
  if (spec.crash) {
    if (!Object.hasOwn(refModelLayout.stepCodes, spec.crash.step)) {
      throw usageError(`reference model crash.step must be load, infer or unload, got ${String(spec.crash.step)}`);
    }
    if (!Object.hasOwn(refModelLayout.crashKindCodes, spec.crash.kind)) {
      throw usageError(`reference model crash.kind must be abort, segv or kill, got ${String(spec.crash.kind)}`);
    }
    checkIteration('crash.iteration', spec.crash.iteration);
  }
  if (spec.hang) {
    if (!Object.hasOwn(refModelLayout.stepCodes, spec.hang.step)) {
      throw usageError(`reference model hang.step must be load, infer or unload, got ${String(spec.hang.step)}`);
    }
    checkIteration('hang.iteration', spec.hang.iteration);
  }
  return spec;
}
