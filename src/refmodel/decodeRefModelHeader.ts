import { usageError } from '../errors.js';
import type { RefModelCrashKind, RefModelSpec, RefModelStep } from './RefModelSpec.js';
import { refModelByteFields, refModelCountFields, refModelFlagFields, refModelLayout } from './refModelLayout.js';

const REGENERATE = 'regenerate it with leakgate make-ref-model';

function codeToName<Name extends string>(codes: Record<Name, number>, code: number): Name | undefined {
  return (Object.keys(codes) as Name[]).find((name) => codes[name] === code);
}

/** Bytes to read before the transcript length (and so the whole header size) is known. */
export const refModelFixedHeaderBytes = refModelLayout.offsets.transcript;

/**
 * Whether the bytes start with the reference model magic. Fewer than 8 bytes are never ours.
 */
export function hasRefModelMagic(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('ascii', 0, 8) === refModelLayout.magic;
}

/**
 * Parses a reference model header. Returns null when the bytes are not ours (wrong magic); throws a
 * usage error naming `source` when they are ours but truncated, corrupt or of another format version.
 */
export function decodeRefModelHeader(bytes: Uint8Array, source: string): RefModelSpec | null {
  if (bytes.length < refModelLayout.magic.length || !hasRefModelMagic(bytes)) return null;
  const header = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { offsets } = refModelLayout;
  if (header.length < refModelFixedHeaderBytes) {
    throw usageError(`reference model header truncated: ${source} (${REGENERATE})`);
  }
  const version = header.readUInt32LE(offsets.version);
  if (version !== refModelLayout.version) {
    throw usageError(
      `reference model ${source} has format version ${version}, this leakgate reads version ${refModelLayout.version} (${REGENERATE})`,
    );
  }
  const transcriptBytes = header.readUInt32LE(offsets.transcriptLen);
  const headerBytes = header.readUInt32LE(offsets.headerBytes);
  if (headerBytes !== offsets.transcript + transcriptBytes) {
    throw usageError(
      `reference model header corrupt: ${source} (headerBytes ${headerBytes} disagrees with transcript length; ${REGENERATE})`,
    );
  }
  if (header.length < headerBytes) {
    throw usageError(`reference model header truncated: ${source} (${REGENERATE})`);
  }

  const crashStepCode = header.readUInt32LE(offsets.crashStep);
  const hangStepCode = header.readUInt32LE(offsets.hangStep);
  const crashStep = codeToName<RefModelStep>(refModelLayout.stepCodes, crashStepCode);
  const crashKind = codeToName<RefModelCrashKind>(refModelLayout.crashKindCodes, header.readUInt32LE(offsets.crashKind));
  const hangStep = codeToName<RefModelStep>(refModelLayout.stepCodes, hangStepCode);
  if (crashStepCode !== 0 && (!crashStep || !crashKind)) {
    throw usageError(`reference model header corrupt: ${source} (bad crash step or kind; ${REGENERATE})`);
  }
  if (hangStepCode !== 0 && !hangStep) {
    throw usageError(`reference model header corrupt: ${source} (bad hang step; ${REGENERATE})`);
  }

  const flags = header.readUInt32LE(offsets.flags);
  const readBytes = (field: (typeof refModelByteFields)[number]): number => {
    const value = header.readBigUInt64LE(offsets[field]);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw usageError(`reference model header corrupt: ${source} (${field} ${value} is implausibly large; ${REGENERATE})`);
    }
    return Number(value);
  };
  const byteFields = Object.fromEntries(refModelByteFields.map((field) => [field, readBytes(field)])) as Record<
    (typeof refModelByteFields)[number],
    number
  >;
  const countFields = Object.fromEntries(refModelCountFields.map((field) => [field, header.readUInt32LE(offsets[field])])) as Record<
    (typeof refModelCountFields)[number],
    number
  >;
  const flagFields = Object.fromEntries(refModelFlagFields.map((field) => [field, (flags & refModelLayout.flags[field]) !== 0])) as Record<
    (typeof refModelFlagFields)[number],
    boolean
  >;

  return {
    ...byteFields,
    ...countFields,
    ...flagFields,
    crash: crashStep && crashKind ? { step: crashStep, iteration: header.readUInt32LE(offsets.crashIteration), kind: crashKind } : null,
    hang: hangStep ? { step: hangStep, iteration: header.readUInt32LE(offsets.hangIteration) } : null,
    transcript: header.toString('utf8', offsets.transcript, headerBytes),
  };
}
