import type { RefModelSpec } from './RefModelSpec.js';
import { refModelByteFields, refModelCountFields, refModelFlagFields, refModelLayout } from './refModelLayout.js';
import { refModelHeaderBytes } from './resolveRefModelSpec.js';

/** Serialises a resolved spec into the header bytes of a reference model file (see RefModelSpec.ts). */
export function encodeRefModelHeader(spec: RefModelSpec): Buffer {
  const { offsets } = refModelLayout;
  const transcript = Buffer.from(spec.transcript, 'utf8');
  const header = Buffer.alloc(refModelHeaderBytes(spec.transcript));

  header.write(refModelLayout.magic, 0, 'ascii');
  header.writeUInt32LE(refModelLayout.version, offsets.version);
  header.writeUInt32LE(header.length, offsets.headerBytes);
  for (const field of refModelByteFields) header.writeBigUInt64LE(BigInt(spec[field]), offsets[field]);
  for (const field of refModelCountFields) header.writeUInt32LE(spec[field], offsets[field]);

  let flags = 0;
  for (const field of refModelFlagFields) if (spec[field]) flags |= refModelLayout.flags[field];
  header.writeUInt32LE(flags, offsets.flags);

  header.writeUInt32LE(spec.crash ? refModelLayout.stepCodes[spec.crash.step] : 0, offsets.crashStep);
  header.writeUInt32LE(spec.crash?.iteration ?? 0, offsets.crashIteration);
  header.writeUInt32LE(spec.crash ? refModelLayout.crashKindCodes[spec.crash.kind] : 0, offsets.crashKind);
  header.writeUInt32LE(spec.hang ? refModelLayout.stepCodes[spec.hang.step] : 0, offsets.hangStep);
  header.writeUInt32LE(spec.hang?.iteration ?? 0, offsets.hangIteration);

  header.writeUInt32LE(transcript.length, offsets.transcriptLen);
  transcript.copy(header, offsets.transcript);
  return header;
}
