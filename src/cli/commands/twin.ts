import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LeakgateIO } from '../../LeakgateIO.js';
import type { Command } from '../commands.js';
import { ExitCode, usageError } from '../../errors.js';
import { nonRegularKind } from '../../files/fileKind.js';
import { isTwinTypeName, twinTypeNames } from '../../twin/ggmlTypes.js';
import { isTwinShapeName, twinShapeNames } from '../../twin/twinShapes.js';
import { writeTwin } from '../../twin/writeTwin.js';

const maxSeed = 0xffffffff;

const orList = (names: readonly string[]): string =>
  names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;

const usage = `Usage: leakgate twin --shape ${twinShapeNames.join('|')} [--type ${twinTypeNames.join('|')}] [--seed N] [--force] OUT

Writes a "twin": a Qwen3-ASR model in chatllm.cpp's GGMM format with the real architecture, tensor
names, shapes, types and vocabulary size but random weights. Memory use on load, inference and unload
follows the real model's, so twins stand in for multi-GB downloads when gating engine updates.

Options:
  --shape NAME   ${twinShapeNames.join(', ')} (tiny: a few hundred kB, for smoke tests)
  --type TYPE    ggml type of the matrices: ${twinTypeNames.join(', ')} (default q4_0)
  --seed N       weight seed, 0..${maxSeed} (default 1); the same seed writes the same bytes
  --force        overwrite OUT if it exists
  -h, --help     show this help`;

function parseSeed(text: string | undefined): number {
  if (text === undefined) return 1;
  const seed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed) || seed > maxSeed) {
    throw usageError(`--seed must be an integer from 0 to ${maxSeed}, got ${JSON.stringify(text)} (pass e.g. --seed 7)`);
  }
  return seed;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        shape: { type: 'string' },
        type: { type: 'string' },
        seed: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw usageError(`${(error as Error).message} (see leakgate twin --help)`);
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** `leakgate twin`: writes a random-weight Qwen3-ASR model of a registered shape. */
export const twinCommand: Command = {
  name: 'twin',
  summary: 'write a random-weight Qwen3-ASR model ("twin") in chatllm.cpp format',
  usage,
  async run(argv: string[], io: LeakgateIO): Promise<number> {
    const { values, positionals } = parse(argv);
    if (values.help) {
      io.out(`${usage}\n`);
      return ExitCode.ok;
    }
    if (values.shape === undefined) throw usageError(`--shape is required (pass --shape ${orList(twinShapeNames)})`);
    const shape = values.shape;
    if (!isTwinShapeName(shape)) {
      throw usageError(`unknown --shape ${JSON.stringify(values.shape)} (use ${orList(twinShapeNames)})`);
    }
    const type = values.type ?? 'q4_0';
    if (!isTwinTypeName(type)) {
      throw usageError(`unknown --type ${JSON.stringify(type)} (use ${orList(twinTypeNames)})`);
    }
    const seed = parseSeed(values.seed);
    if (positionals.length !== 1) {
      throw usageError(
        positionals.length === 0
          ? `missing output path (e.g. leakgate twin --shape ${shape} /tmp/qwen3-asr-${shape}-twin.bin)`
          : `expected one output path, got ${positionals.length}: ${positionals.join(' ')} (pass exactly one OUT)`,
      );
    }
    const outPath = resolve(io.cwd, positionals[0] ?? '');
    const existing = await stat(outPath).catch(() => null);
    const kind = existing && nonRegularKind(existing);
    // The twin is renamed into place: --force replaces a regular file, never a device, FIFO or folder.
    if (kind)
      throw usageError(`cannot write the twin to ${outPath}: it is ${kind}, and only a regular file is replaced (choose a file path)`);
    if (!values.force && (await exists(outPath))) {
      throw usageError(`output exists: ${outPath} (pass --force to overwrite it, or choose another path)`);
    }
    const summary = await writeTwin(outPath, { shape, type, seed });
    io.out(
      `wrote ${summary.path}: ${summary.fileBytes.toLocaleString('en-US')} bytes in ${(summary.elapsedMs / 1000).toFixed(1)} s ` +
        `(Qwen3-ASR twin, ${summary.shape} shape, ${summary.type}, seed ${summary.seed})\n`,
    );
    return ExitCode.ok;
  },
};
