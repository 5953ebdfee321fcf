import { readdirSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { constants } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Command } from '../commands.js';
import { ExitCode, usageError } from '../../errors.js';
import type { RefModelCrashKind, RefModelSpec, RefModelStep } from '../../refmodel/RefModelSpec.js';
import { describeRefModelSpec } from '../../refmodel/describeRefModelSpec.js';
import { parseSizeBytes } from '../../refmodel/parseSize.js';
import { refModelDefaults, refModelHeaderBytes } from '../../refmodel/resolveRefModelSpec.js';
import { writeRefModel } from '../../refmodel/writeRefModel.js';

const U32_MAX = 0xffff_ffff;
const STEPS: readonly RefModelStep[] = ['load', 'infer', 'unload'];
const CRASH_KINDS: readonly RefModelCrashKind[] = ['abort', 'segv', 'kill'];

type SizeField =
  | 'sizeBytes'
  | 'heapBytes'
  | 'kvBytes'
  | 'leakPerLoadBytes'
  | 'leakPerInferBytes'
  | 'plateauBytes'
  | 'noiseBytes'
  | 'fragmentBytes'
  | 'fragmentPinBytes'
  | 'mmapLeakPerLoadBytes';
type CountField = 'ttftMs' | 'charMs' | 'plateauLoads';
type FlagField = 'keepMapping' | 'keepFd' | 'keepThread' | 'threadOnce' | 'splitMarkers' | 'leakEveryOtherLoad' | 'leakAsMmap';

const sizeOptions: ReadonlyArray<readonly [flag: string, field: SizeField]> = [
  ['size', 'sizeBytes'],
  ['heap', 'heapBytes'],
  ['kv', 'kvBytes'],
  ['leak-per-load', 'leakPerLoadBytes'],
  ['leak-per-infer', 'leakPerInferBytes'],
  ['plateau-bytes', 'plateauBytes'],
  ['noise-bytes', 'noiseBytes'],
  ['fragment', 'fragmentBytes'],
  ['fragment-pin', 'fragmentPinBytes'],
  ['mmap-leak-per-load', 'mmapLeakPerLoadBytes'],
];
const countOptions: ReadonlyArray<readonly [flag: string, field: CountField]> = [
  ['ttft-ms', 'ttftMs'],
  ['char-ms', 'charMs'],
  ['plateau-loads', 'plateauLoads'],
];
const flagOptions: ReadonlyArray<readonly [flag: string, field: FlagField]> = [
  ['keep-mapping', 'keepMapping'],
  ['keep-fd', 'keepFd'],
  ['keep-thread', 'keepThread'],
  ['thread-once', 'threadOnce'],
  ['split-markers', 'splitMarkers'],
  ['leak-every-other-load', 'leakEveryOtherLoad'],
  ['leak-as-mmap', 'leakAsMmap'],
];

const parseOptions = {
  ...Object.fromEntries([...sizeOptions, ...countOptions].map(([flag]) => [flag, { type: 'string' as const }])),
  ...Object.fromEntries(flagOptions.map(([flag]) => [flag, { type: 'boolean' as const }])),
  transcript: { type: 'string' },
  'crash-at': { type: 'string' },
  'hang-at': { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

const usage = `Usage: leakgate make-ref-model OUT [options]

Writes a reference model: a file for leakgate's reference engine (libchatllm-ref.so) whose header
plants memory behaviour, so the leak detector can be tested against known truth.
Sizes accept KiB, MiB, GiB or plain bytes (e.g. 16MiB, 1.5MiB, 4096). Iterations count loads from 1.

Options:
  --size SIZE               total file size, mmapped at load (default 32MiB)
  --heap SIZE               heap allocated at load, freed at unload (default: --size)
  --kv SIZE                 KV cache allocated at the first input, freed at restart/unload (default: --size / 8)
  --transcript TEXT         text emitted one character per chunk (default 零九零零零七三三三一)
  --ttft-ms MS              delay before the first chunk (default 20)
  --char-ms MS              delay before each later chunk (default 2)
  --leak-per-load SIZE      leaked at every load
  --leak-per-infer SIZE     leaked at every input with existing audio
  --mmap-leak-per-load SIZE leaked outside malloc at every load: an anonymous mmap, touched, never
                            unmapped (heap in use flat; malloc_trim cannot give it back; < 4GiB)
  --plateau-loads K         the first K loads each retain --plateau-bytes, then nothing more
  --plateau-bytes SIZE      (use with --plateau-loads)
  --noise-bytes SIZE        per load, a buffer of random size below SIZE replaces the previous one
  --fragment SIZE           per load, SIZE freed at unload but stranded behind live pins: RSS grows by
                            SIZE per load, heap in use only by the pins (malloc_trim gives it back)
  --fragment-pin SIZE       each pin (one per 4 MiB stranded, never freed; default 16 bytes): a pin of
                            e.g. 64KiB makes a real heap leak that RSS outruns (fragmentation)
  --keep-mapping            unload leaves the model mmapped
  --keep-fd                 the model file descriptor is never closed
  --keep-thread             each load leaks a sleeping thread
  --thread-once             the first load in the process starts one thread that stays
  --split-markers           "language X<asr_" and "text>" arrive as separate chunks
  --leak-every-other-load   --leak-per-load at loads 2, 4, 6, ... only
  --leak-as-mmap            --leak-per-load as an anonymous mmap, never unmapped
  --crash-at STEP:N[:KIND]  crash at STEP (load|infer|unload) of load N; KIND abort (default),
                            segv, or kill (SIGKILL, as the OOM killer)
  --hang-at STEP:N          sleep forever at STEP of load N
  --force                   replace OUT if it exists (a regular file only)
  -h, --help                show this help`;

function parseCount(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > U32_MAX) {
    throw usageError(`--${flag} ${JSON.stringify(text)} is not a whole number (pass e.g. --${flag} 20)`);
  }
  return value;
}

/** Parses STEP:ITERATION[:KIND] for --crash-at / --hang-at. */
function parseStepAt(text: string, flag: string, withKind: boolean) {
  const example = withKind ? 'load:3, infer:2:segv' : 'load:3, unload:2';
  const [step = '', iterationText = '', kind = 'abort', ...rest] = text.split(':');
  if (!STEPS.includes(step as RefModelStep) || rest.length > 0 || (!withKind && text.split(':').length > 2)) {
    throw usageError(
      `--${flag} ${JSON.stringify(text)} is not ${withKind ? 'STEP:N[:KIND]' : 'STEP:N'} (STEP is load, infer or unload; e.g. ${example})`,
    );
  }
  const iteration = Number(iterationText);
  if (!/^\d+$/.test(iterationText) || iteration < 1 || iteration > U32_MAX) {
    throw usageError(`--${flag} ${JSON.stringify(text)}: iteration must be a whole number >= 1 (loads count from 1; e.g. ${example})`);
  }
  if (!CRASH_KINDS.includes(kind as RefModelCrashKind)) {
    throw usageError(`--${flag} ${JSON.stringify(text)}: crash kind must be abort, segv or kill (e.g. ${example})`);
  }
  return { step: step as RefModelStep, iteration, kind: kind as RefModelCrashKind };
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: parseOptions, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\s+/g, ' ').replace(/\.$/, '');
    throw usageError(`make-ref-model: ${message} (see leakgate make-ref-model --help)`);
  }
}

/** Turns parsed flags into a partial spec; every bad value is a usage error naming its flag. */
function specFromFlags(values: Record<string, string | boolean | undefined>): Partial<RefModelSpec> {
  const spec: Partial<RefModelSpec> = {};
  for (const [flag, field] of sizeOptions) {
    const text = values[flag];
    if (typeof text === 'string') spec[field] = parseSizeBytes(text, `--${flag}`);
  }
  for (const [flag, field] of countOptions) {
    const text = values[flag];
    if (typeof text === 'string') spec[field] = parseCount(text, flag);
  }
  for (const [flag, field] of flagOptions) {
    if (values[flag] === true) spec[field] = true;
  }
  if (typeof values.transcript === 'string') spec.transcript = values.transcript;

  if ((spec.plateauLoads === undefined) !== (spec.plateauBytes === undefined)) {
    throw usageError('--plateau-loads and --plateau-bytes go together (pass both, e.g. --plateau-loads 3 --plateau-bytes 4MiB)');
  }
  if (typeof values['crash-at'] === 'string') spec.crash = parseStepAt(values['crash-at'], 'crash-at', true);
  if (typeof values['hang-at'] === 'string') {
    const { step, iteration } = parseStepAt(values['hang-at'], 'hang-at', false);
    spec.hang = { step, iteration };
  }
  const headerBytes = refModelHeaderBytes(spec.transcript ?? refModelDefaults.transcript);
  if (spec.sizeBytes !== undefined && spec.sizeBytes < headerBytes) {
    throw usageError(`--size ${spec.sizeBytes} is smaller than the model header (${headerBytes} bytes; pass e.g. --size 1MiB)`);
  }
  return spec;
}

/** Removes this process's temp files for `outPath` (writeRefModel names them .NAME.PID.*.tmp beside it). */
function removeTempFiles(outPath: string): void {
  const prefix = `.${basename(outPath)}.${process.pid}.`;
  for (const name of readdirSync(dirname(outPath))) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) rmSync(join(dirname(outPath), name), { force: true });
  }
}

/** `leakgate make-ref-model OUT [options]`: writes a reference model with planted memory behaviour. */
export const makeRefModelCommand: Command = {
  name: 'make-ref-model',
  summary: 'write a reference model with planted leaks, crashes or hangs for the reference engine',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv);
    if (values.help) {
      io.out(usage);
      return ExitCode.ok;
    }
    if (positionals.length !== 1) {
      throw usageError(
        positionals.length === 0
          ? 'make-ref-model needs the output path (leakgate make-ref-model OUT [options])'
          : `make-ref-model takes one output path, got ${positionals.length}: ${positionals.join(' ')} (quote paths with spaces)`,
      );
    }
    const outPath = resolve(io.cwd, positionals[0] ?? '');
    const spec = specFromFlags(values);
    if (values.force !== true && (await stat(outPath).catch(() => null))?.isFile()) {
      throw usageError(`output exists: ${outPath} (pass --force to overwrite it, or choose another path)`);
    }
    // A stopped write (Ctrl-C, a cancelled job) must not leave its multi-GB temp file behind.
    const cleanUp = (signal: NodeJS.Signals): void => {
      removeTempFiles(outPath);
      process.exit(128 + (constants.signals[signal] ?? 15));
    };
    const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of STOP_SIGNALS) process.on(signal, cleanUp);
    let written: Awaited<ReturnType<typeof writeRefModel>>;
    try {
      written = await writeRefModel(outPath, spec);
    } finally {
      for (const signal of STOP_SIGNALS) process.off(signal, cleanUp);
    }
    io.out(`wrote reference model ${outPath}: ${describeRefModelSpec(written)}`);
    return ExitCode.ok;
  },
};
