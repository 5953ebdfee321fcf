import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { usageError } from '../errors.js';
import { ffmpegWorkerEnv } from '../ffmpeg/ffmpegWorkerEnv.js';
import { resolveFfmpeg } from '../ffmpeg/resolveFfmpeg.js';
import { refuseNonRegularFileSync } from '../files/fileKind.js';
import { ensureNativeHelpersBuilt, ensureRefEngineBuilt, refEngineLibraryPath } from '../refmodel/refEnginePath.js';
import { readRefModelHeader } from '../refmodel/readRefModelHeader.js';
import { writeRefModel } from '../refmodel/writeRefModel.js';
import { resolveRefModelSpec } from '../refmodel/resolveRefModelSpec.js';
import { makePrivateFolder } from '../files/makePrivateFolder.js';
import { identifyModelFile, modelEngineMismatch, type ModelFile } from '../modelfiles/identifyModelFile.js';
import { twinGenMaxTokens } from '../twin/twinGenMaxTokens.js';
import type { ModelInfo, StopRule } from '../results/RunResults.js';
import { engineLibraryCandidates } from './engineLibraryCandidates.js';
import { modelIdentity, modelLabel } from './modelLabel.js';
import { PACKAGE_ROOT } from '../leakgatePackage.js';
import { phaseTimeouts } from './phaseTimeouts.js';
import type { RunConfig } from './RunConfig.js';
import type { RunOptions } from './RunOptions.js';
import { sha256File } from '../files/sha256File.js';
import { MIB } from '../units.js';
import { checkWritableFile } from '../files/checkWritableFile.js';
import { refuseOutputOverInput, type NamedPath } from '../files/outputFile.js';
import { journalPathOf } from '../results/ResultsJournal.js';
import { lockPathOf } from '../results/lockResultsFile.js';

/**
 * glibc's initial M_MMAP_THRESHOLD, pinned in the worker. Left dynamic, glibc raises it at the first free
 * of a large mmapped chunk (up to 32 MiB), so from the second load on chatllm.cpp's buffers came from the
 * arenas instead: RSS in use while loaded grew from 1.5 to 2.6 GiB over 24 switches and the arenas kept
 * up to 3.9 GiB free after unload (pin + #115, 0.6B/1.7B twins), differently in each run. Pinned, every
 * load meets the allocator as the first did: 1.53 GiB peak and 36-52 MiB after unload, three times over.
 */
export const MMAP_THRESHOLD_BYTES = 128 * 1024;

/** Past a thousand times the default timeouts a hang is never caught: a bigger scale is a typo. */
const MAX_TIMEOUT_SCALE = 1000;
/** More inference threads than this is a typo: the engine would start them all (1e9 ended in an abort or the OOM killer). */
const MAX_THREADS = 1024;
/** Below a hundredth of the defaults (a load in 300 ms) no engine answers in time: "engine hung" would be the flag's. */
const MIN_TIMEOUT_SCALE = 0.01;

const SEED_MODELS = ['models/qwen3-asr-0.6b-q4_0.bin', 'models/qwen3-asr-1.7b-q4_0.bin'];
/** The seed's recording, what --audio defaults to. */
export const DEFAULT_AUDIO = join(PACKAGE_ROOT, 'fixtures/audio/phone-zh.wav');
/** Two generated reference models, one 2.5x the other like 0.6B vs 1.7B. */
const DEFAULT_REF_MODELS = [
  { file: 'ref-small.bin', sizeBytes: 32 * MIB },
  { file: 'ref-large.bin', sizeBytes: 80 * MIB },
];

/**
 * Resolves user options against the environment (the seed's variable names plus LIBCHATLLM and
 * LEAKGATE_MODELS) and defaults. Throws a usage error naming the field, the value and the fix.
 * Everything that can be checked before a model is loaded is checked here: each model file is a
 * non-empty, readable chatllm.cpp or reference model the engine can load, and the results file can
 * be written — so a run never measures for an hour and then fails on a typo.
 */
export async function resolveRunConfig(options: RunOptions, env: NodeJS.ProcessEnv, cwd: string): Promise<RunConfig> {
  const notes: string[] = [];
  const stopRule = resolveStopRule(options, env);
  const iterations = stopRule.maxIterations;
  const threads = positiveInteger('--threads', options.threads, env, 'INFERENCE_THREADS', 6, MAX_THREADS);
  const contextLength = positiveInteger('--context', options.context, env, 'CONTEXT_LENGTH', 4096);
  const explicitGenMaxTokens =
    options.genMaxTokens === undefined
      ? null
      : positiveInteger('--gen-max-tokens', options.genMaxTokens, env, null, DEFAULT_GEN_MAX_TOKENS);
  const timeoutScale = options.timeoutScale ?? 1;
  if (!(timeoutScale >= MIN_TIMEOUT_SCALE && timeoutScale <= MAX_TIMEOUT_SCALE)) {
    throw usageError(
      `--timeout-scale must be a number from ${MIN_TIMEOUT_SCALE} to ${MAX_TIMEOUT_SCALE}, got ${timeoutScale} (e.g. --timeout-scale 2)`,
    );
  }
  const language = options.language ?? env.ASR_LANGUAGE ?? 'Chinese';

  let modelPaths = requestedModelPaths(options, env);
  if (!options.models?.length && env.LEAKGATE_MODELS?.trim() && modelPaths.length === 0) {
    throw usageError(
      `LEAKGATE_MODELS=${env.LEAKGATE_MODELS} names no model file (set it to a.bin,b.bin, or unset it for the default models)`,
    );
  }
  if (modelPaths.length === 0 && SEED_MODELS.every((path) => existsSync(resolve(cwd, path)))) {
    modelPaths = SEED_MODELS;
    notes.push('models: the seed layout under models/');
  }
  // Each model identified once, from its header (a FIFO is refused before it is opened).
  let modelFiles: ModelFile[] = [];
  for (const path of modelPaths) modelFiles.push(await identifyModelFile(resolve(cwd, path)));

  let libraryPath = requestedLibraryPath(options, env);
  // Reference models only load in the reference engine: they choose it unless --lib says otherwise.
  const onlyReferenceModels = modelFiles.every((model) => model.kind === 'reference');
  if (!libraryPath && modelFiles.length > 0 && !onlyReferenceModels) {
    libraryPath = engineLibraryCandidates().find((path) => existsSync(path));
    if (libraryPath) notes.push(`engine: found ${libraryPath}`);
  }
  let referenceEngine = libraryPath !== undefined && sameFile(resolve(cwd, libraryPath), refEngineLibraryPath());
  if (!libraryPath) {
    libraryPath = await ensureRefEngineBuilt();
    referenceEngine = true;
    notes.push('engine: leakgate reference engine (the test oracle, not chatllm.cpp)');
  } else {
    // Installed as a dependency, the crash-stack handler is built on first use, as the reference engine is.
    const unbuilt = await ensureNativeHelpersBuilt();
    if (unbuilt) notes.push(unbuilt);
  }
  libraryPath = resolve(cwd, libraryPath);
  if (!existsSync(libraryPath)) {
    throw usageError(
      `engine library not found: ${libraryPath} (pass --lib or set LIBCHATLLM to a built libchatllm.so; npm run native:build builds one)`,
    );
  }
  refuseNonRegularFileSync(libraryPath, 'engine library', 'pass --lib or set LIBCHATLLM to a built libchatllm.so file');

  if (modelFiles.length === 0) {
    if (!referenceEngine) {
      throw usageError('no models to run: pass --model PATH (repeatable) or set LEAKGATE_MODELS=a.bin,b.bin');
    }
    modelFiles = await Promise.all((await generatedReferenceModels()).map(identifyModelFile));
    notes.push('models: two generated reference models (32 MiB and 80 MiB)');
  }

  const audioPath = resolve(cwd, options.audio ?? DEFAULT_AUDIO);
  refuseNonRegularFileSync(audioPath, 'audio file', 'pass --audio PATH to a WAV or other audio file');
  const truth = readTruth(options.truth, audioPath, cwd);
  const scenario = options.scenario ?? 'switch';

  const taken = new Set<string>();
  const models: RunConfig['models'] = [];
  for (const { path, sizeBytes, kind } of modelFiles) {
    const { key, label } = modelIdentity(modelLabel(path), taken);
    taken.add(key);
    const sha256Prefix = (await sha256File(path)).slice(0, 16);
    models.push({ key, label, path, sizeBytes, sha256Prefix, kind, timeoutsMs: phaseTimeouts(sizeBytes, timeoutScale) });
  }
  // The reference engine refuses anything but its own models; other engines are identified by the worker.
  if (referenceEngine) {
    const mismatch = models.map((model) => modelEngineMismatch(model, libraryPath, true)).find((error) => error !== null);
    if (mismatch) throw mismatch;
  }
  const genMaxTokens = explicitGenMaxTokens ?? defaultGenMaxTokens(models, truth, notes);
  const outPath = resolve(cwd, options.out ?? 'results/model_switch_results.json');
  await checkWritable(outPath);
  const ffmpeg = await resolveFfmpeg(options.ffmpeg, env, cwd);
  const inputs: NamedPath[] = [
    { what: 'engine library', path: libraryPath },
    { what: 'audio file', path: audioPath },
    ...models.map((model) => ({ what: 'model file', path: model.path })),
    { what: 'truth file', path: options.truth?.endsWith('.txt') ? resolve(cwd, options.truth) : truthBeside(audioPath) },
    ...(options.ffmpeg !== undefined ? [{ what: 'ffmpeg (--ffmpeg)', path: resolve(cwd, options.ffmpeg) }] : []),
    ...(ffmpeg.found ? [{ what: 'ffmpeg', path: ffmpeg.found.path }] : []),
  ];
  // The results file is replaced by rename, its journal and lock written beside it: none may be an input.
  const fix = 'pass --out to another file, e.g. results/model_switch_results.json';
  refuseOutputOverInput({ what: 'results file (--out)', path: outPath }, inputs, fix);
  refuseOutputOverInput({ what: 'results journal', path: journalPathOf(outPath) }, inputs, fix);
  refuseOutputOverInput({ what: 'results lock', path: lockPathOf(outPath) }, inputs, fix);

  return {
    libraryPath,
    referenceEngine,
    models,
    iterations,
    stopRule,
    scenario,
    audioPath,
    ffmpeg,
    // The run's environment, whole (LEAKGATE_LEDGER=0 in it runs the worker without the ledger).
    workerEnv: { ...env, ...ffmpegWorkerEnv(ffmpeg, env) },
    truth,
    threads,
    contextLength,
    language,
    trim: options.trim ?? false,
    mmapThresholdBytes: options.dynamicMmapThreshold ? null : MMAP_THRESHOLD_BYTES,
    failFast: options.failFast ?? false,
    outPath,
    genMaxTokens,
    verbose: options.verbose ?? false,
    notes,
    inputs,
  };
}

/** The most iterations a run without --iterations does: the seed's fixed length, room for a clean engine's equivalence test. */
export const DEFAULT_MAX_ITERATIONS = 100;
/**
 * Iterations a decided verdict must hold before an until-decided run stops. Judging again after every
 * iteration would stop on the first chance crossing. And a warm-up rise is a leak while it rises: it is
 * called one from the 4th switch and stays one until level for 3 switches (FLAT_TAIL_SWITCHES), so a rise of
 * L loads holds a leak verdict for L - 1 iterations; 5 lets rises of up to 5 loads (the sensitivity
 * benchmark's plateau control) end as the plateau they are. Fixed at 10 iterations, the bound is 7 loads.
 */
export const CONFIRM_ITERATIONS = 5;
/** generation cap of a real model: its own end of text comes long before. */
const DEFAULT_GEN_MAX_TOKENS = 256;

/** --iterations N or ITERATIONS: a fixed length; else until decided, at most --max-iterations (100). */
function resolveStopRule(options: RunOptions, env: NodeJS.ProcessEnv): StopRule {
  if (options.iterations !== undefined || envNumber(env, 'ITERATIONS') !== undefined) {
    return {
      rule: 'fixed',
      maxIterations: positiveInteger('--iterations', options.iterations, env, 'ITERATIONS', DEFAULT_MAX_ITERATIONS),
      confirmIterations: null,
    };
  }
  const maxIterations = positiveInteger('--max-iterations', options.maxIterations, env, null, DEFAULT_MAX_ITERATIONS);
  return { rule: 'until-decided', maxIterations, confirmIterations: CONFIRM_ITERATIONS };
}

/** 256 tokens, or for a run of twins only, what the real model writes for the truth (twinGenMaxTokens). */
function defaultGenMaxTokens(models: readonly ModelInfo[], truth: string | null, notes: string[]): number {
  if (models.length === 0 || !models.every((model) => model.kind === 'twin')) return DEFAULT_GEN_MAX_TOKENS;
  const cap = twinGenMaxTokens(truth);
  notes.push(
    `generation: at most ${cap} tokens per transcription, what the real model writes for ` +
      `${truth === null ? 'a short recording' : `the truth (${[...truth.replace(/\s+/g, '')].length} characters)`} ` +
      '(twins never end their text; --gen-max-tokens N to change)',
  );
  return cap;
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * Probes the results file's folder (or the nearest existing ancestor, when it is still to be made)
 * with a file that is removed at once, so an unwritable --out fails before anything is measured.
 */
async function checkWritable(outPath: string): Promise<void> {
  const fix = 'pass --out PATH to a file in a writable folder';
  const existing = await stat(outPath).catch(() => null);
  if (existing?.isDirectory()) {
    throw usageError(
      `cannot write the results file ${outPath}: it is a folder (${fix}, e.g. --out ${join(outPath, 'model_switch_results.json')})`,
    );
  }
  // Writing replaces the file by rename: a device or FIFO would be replaced, not written to.
  await checkWritableFile(outPath, 'results file', fix);
}

/** Whether two specs hold the same value in every field, whatever their key order. */
function sameFields(a: object, b: object): boolean {
  const entries = (spec: object): string => JSON.stringify(Object.entries(spec).sort(([x], [y]) => x.localeCompare(y)));
  return entries(a) === entries(b);
}

async function generatedReferenceModels(): Promise<string[]> {
  const user = join(tmpdir(), `leakgate-${process.getuid?.() ?? 'user'}`);
  const dir = join(user, 'ref-models');
  await makePrivateFolder(user);
  await makePrivateFolder(dir);
  const paths: string[] = [];
  for (const { file, sizeBytes } of DEFAULT_REF_MODELS) {
    const path = join(dir, file);
    // Not only the size: a model replaced by another of the same size would be measured, then refused by its baseline.
    const header = existsSync(path) ? await readRefModelHeader(path).catch(() => null) : null;
    if (!header || !sameFields(header, resolveRefModelSpec({ sizeBytes }))) await writeRefModel(path, { sizeBytes });
    paths.push(path);
  }
  return paths;
}

function readTruth(truth: string | undefined, audioPath: string, cwd: string): string | null {
  if (truth !== undefined) {
    const asPath = resolve(cwd, truth);
    if (!truth.endsWith('.txt') || !existsSync(asPath)) return truth;
    return readTruthFile(asPath, 'pass --truth TEXT, or --truth FILE.txt to a regular file');
  }
  const beside = truthBeside(audioPath);
  return existsSync(beside) ? readTruthFile(beside, 'replace it with a regular file, or pass --truth TEXT') : null;
}

/** Ground truth is a line or two of text: a bigger file is not one (and is not read whole into memory). */
const MAX_TRUTH_BYTES = 1024 * 1024;

/** A truth file's text; a FIFO or device (which would block the read for good) or a huge file is refused. */
function readTruthFile(path: string, fix: string): string {
  refuseNonRegularFileSync(path, 'truth file', fix);
  const sizeBytes = statSync(path).size;
  if (sizeBytes > MAX_TRUTH_BYTES)
    throw usageError(
      `truth file ${path} is ${sizeBytes} bytes, more than the ${MAX_TRUTH_BYTES} a transcript's ground truth can be (${fix})`,
    );
  return readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim();
}

/** The truth read by default: the .txt of the same name beside the audio. */
function truthBeside(audioPath: string): string {
  return join(dirname(audioPath), `${audioPath.replace(/^.*\//, '').replace(/\.[^.]+$/, '')}.txt`);
}

/**
 * A whole-number setting from 1 to `max`: the flag's value, else the environment variable's, else the
 * default. The error names where the bad value came from: the flag, or the variable "(environment)".
 */
function positiveInteger(
  flag: string,
  given: number | undefined,
  env: NodeJS.ProcessEnv,
  envName: string | null,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const fromEnv = given === undefined && envName !== null ? envNumber(env, envName) : undefined;
  const value = given ?? fromEnv ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    const source = fromEnv !== undefined ? `${envName} (environment)` : flag;
    const range = max === Number.MAX_SAFE_INTEGER && value <= max ? '>= 1' : `from 1 to ${max}`;
    throw usageError(
      `${source} must be a whole number ${range}, got ${value} ` +
        `(e.g. ${fromEnv !== undefined ? `${envName}=30, or ${flag} 30` : `${flag} 30`})`,
    );
  }
  return value;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw usageError(`${name} (environment) is ${JSON.stringify(raw)}, not a number (unset it or give a whole number)`);
  return value;
}

function splitList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The model paths the user asked for, as given: --model, else LEAKGATE_MODELS (comma-separated); empty for the defaults. */
export function requestedModelPaths(options: Pick<RunOptions, 'models'>, env: NodeJS.ProcessEnv): string[] {
  const models: unknown = options.models;
  // From plain JavaScript a single path may come as a string: spread, it became one model per character.
  if (models !== undefined && (!Array.isArray(models) || models.some((model) => typeof model !== 'string')))
    throw usageError(`models must be an array of model file paths, got ${JSON.stringify(models)} (e.g. models: ['a.bin', 'b.bin'])`);
  return options.models?.length ? [...options.models] : splitList(env.LEAKGATE_MODELS);
}

/** The engine library the user asked for, as given: --lib, else LIBCHATLLM; undefined lets leakgate choose. */
export function requestedLibraryPath(options: Pick<RunOptions, 'lib'>, env: NodeJS.ProcessEnv): string | undefined {
  return options.lib ?? env.LIBCHATLLM;
}
