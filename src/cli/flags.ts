/**
 * The command line's flags, parsed once for every command that takes them: the engine and inference
 * flags (`run`, `baseline update`, `compare`, `attribute`, `doctor`), the run's own flags, and the
 * repeatable path flags of `compare` and `baseline update`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { RunOptions } from '../config/RunOptions.js';
import { usageError } from '../errors.js';

/** Flags that take a number: "--iterations -3" must reach the range check, not parseArgs' "ambiguous". */
const NUMERIC_FLAGS = ['--iterations', '--max-iterations', '--threads', '--context', '--gen-max-tokens', '--timeout-scale', '--switches'];

/** "--flag -3" -> "--flag=-3" for numeric flags, so a negative value gets the flag's own error. */
function joinNegativeValues(argv: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (NUMERIC_FLAGS.includes(arg) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i += 1;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** A whole-number flag's value, or undefined when absent; "abc" is a usage error naming the flag. */
function integer(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim())) throw usageError(`${flag} must be a whole number, got "${raw}" (e.g. ${flag} 30)`);
  return value;
}

/**
 * parseArgs takes an empty value as given: `--lib "$LIB"` with LIB unset would measure the reference
 * engine and pass the gate. A usage error naming the flag. (A flag given twice keeps its last value,
 * as in most CLIs: a script's defaults can be overridden after them.) `takes` says which flags take a value.
 */
function refuseEmptyValues(
  tokens: ReturnType<typeof parseArgs>['tokens'],
  takes: Readonly<Record<string, { type: 'string' | 'boolean' }>>,
): void {
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || takes[token.name]?.type !== 'string') continue;
    if ((token.value ?? '').trim() === '') throw usageError(`${token.rawName} is empty (give it a value, or leave the flag out)`);
  }
}

/** The flags that pick the engine, the models and the inference settings: every measuring command reads them alike. */
const ENGINE_FLAGS = {
  lib: { type: 'string' },
  model: { type: 'string', multiple: true },
  scenario: { type: 'string' },
  ffmpeg: { type: 'string' },
  audio: { type: 'string' },
  truth: { type: 'string' },
  threads: { type: 'string' },
  context: { type: 'string' },
  language: { type: 'string' },
  trim: { type: 'boolean' },
  'dynamic-mmap-threshold': { type: 'boolean' },
  'gen-max-tokens': { type: 'string' },
  'timeout-scale': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** `leakgate run`'s flags beyond the engine's (also taken by `baseline update`, `compare` and `doctor`). */
const RUN_FLAGS = {
  ...ENGINE_FLAGS,
  iterations: { type: 'string' },
  'max-iterations': { type: 'string' },
  'fail-fast': { type: 'boolean' },
  verbose: { type: 'boolean' },
  baseline: { type: 'string' },
  report: { type: 'string' },
  attribute: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

type EngineValues = ReturnType<typeof parseArgs<{ options: typeof ENGINE_FLAGS; strict: true }>>['values'];

/** The engine flags' values as RunOptions. */
function engineOptions(values: EngineValues): RunOptions {
  return {
    lib: values.lib,
    models: values.model,
    scenario: values.scenario,
    ffmpeg: values.ffmpeg,
    audio: values.audio,
    truth: values.truth,
    threads: integer('--threads', values.threads),
    context: integer('--context', values.context),
    language: values.language,
    trim: values.trim,
    dynamicMmapThreshold: values['dynamic-mmap-threshold'],
    out: values.out,
    genMaxTokens: integer('--gen-max-tokens', values['gen-max-tokens']),
    // Checked with the other settings by resolveRunConfig (the vitest gate passes it too).
    timeoutScale: values['timeout-scale'] === undefined ? undefined : Number(values['timeout-scale']),
  };
}

export interface RunFlags extends RunOptions {
  json: boolean;
  baseline: string | undefined;
  report: string | undefined;
  attribute: boolean;
}

/** Parses `leakgate run` flags (and those of the commands that take the same). */
export function parseRunFlags(argv: string[]): RunFlags {
  const { values, tokens } = parseArgs({
    args: joinNegativeValues(argv),
    strict: true,
    allowPositionals: false,
    tokens: true,
    options: RUN_FLAGS,
  });
  refuseEmptyValues(tokens, RUN_FLAGS);
  return {
    ...engineOptions(values),
    iterations: integer('--iterations', values.iterations),
    maxIterations: integer('--max-iterations', values['max-iterations']),
    failFast: values['fail-fast'],
    verbose: values.verbose,
    json: values.json ?? false,
    baseline: values.baseline,
    report: values.report,
    attribute: values.attribute ?? false,
  };
}

/** Parses `leakgate attribute` flags: the engine's, and the switches per model. */
export function parseAttributeFlags(argv: string[]): RunOptions & { switches: number | undefined; json: boolean } {
  const options = { ...ENGINE_FLAGS, switches: { type: 'string' } } as const;
  const { values, tokens } = parseArgs({ args: joinNegativeValues(argv), strict: true, allowPositionals: false, tokens: true, options });
  refuseEmptyValues(tokens, options);
  return { ...engineOptions(values), switches: integer('--switches', values.switches), json: values.json ?? false };
}

/** Removes every "--flag VALUE" from args and returns the values; a missing value is a usage error. */
export function takeAll(args: string[], flag: string, example: string): string[] {
  const values: string[] = [];
  for (let at = args.indexOf(flag); at >= 0; at = args.indexOf(flag)) {
    const value = args[at + 1] ?? '';
    if (value.trim() === '' || value.startsWith('--')) throw usageError(`${flag} needs a value, e.g. ${flag} ${example}`);
    values.push(value);
    args.splice(at, 2);
  }
  return values;
}

/** Removes "--flag VALUE" from args and returns VALUE (undefined when absent); given twice is a usage error. */
export function takeOne(args: string[], flag: string, example: string): string | undefined {
  const values = takeAll(args, flag, example);
  if (values.length > 1) throw usageError(`${flag} given ${values.length} times (give it once)`);
  return values[0];
}
