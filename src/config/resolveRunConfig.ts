import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LeakgateError, usageError } from '../errors.js';
import { ffmpegWorkerEnv } from '../ffmpeg/ffmpegWorkerEnv.js';
import { resolveFfmpeg } from '../ffmpeg/resolveFfmpeg.js';
import { refuseNonRegularFileSync } from '../files/fileKind.js';
import { hasRefModelMagic } from '../refmodel/decodeRefModelHeader.js';
import { ensureRefEngineBuilt, refEngineLibraryPath } from '../refmodel/refEnginePath.js';
import { readRefModelHeader } from '../refmodel/readRefModelHeader.js';
import { writeRefModel } from '../refmodel/writeRefModel.js';
import { isTwinModel } from '../twin/isTwinModel.js';
import { twinGenMaxTokens } from '../twin/twinGenMaxTokens.js';
import { ggmmHeaderBytes } from '../twin/ggmmLayout.js';
import { readGgmm } from '../twin/readGgmm.js';
import type { ModelInfo, StopRule } from '../results/RunResults.js';
import { engineLibraryCandidates } from './engineLibraryCandidates.js';
import { readFileHead } from './readFileHead.js';
import { modelIdentity, modelLabel } from './modelLabel.js';
import { PACKAGE_ROOT } from '../leakgatePackage.js';
import { phaseTimeouts } from './phaseTimeouts.js';
import type { RunConfig } from './RunConfig.js';
import type { RunOptions } from './RunOptions.js';
import { sha256File } from './sha256File.js';
import { MIB } from '../units.js';
import { checkWritableFile } from '../files/checkWritableFile.js';

const SEED_MODELS = ['models/qwen3-asr-0.6b-q4_0.bin', 'models/qwen3-asr-1.7b-q4_0.bin'];
/** The seed's recording, what --audio defaults to. */
export const DEFAULT_AUDIO = join(PACKAGE_ROOT, 'fixtures/audio/phone-zh.wav');
/** Two generated reference models, one 2.5x the other like 0.6B vs 1.7B. */
const DEFAULT_REF_MODELS = [
  { file: 'ref-small.bin', sizeBytes: 32 * MIB },
  { file: 'ref-large.bin', sizeBytes: 80 * MIB },
];

/** File magics chatllm.cpp loads (src/models.cpp, load_file_header). */
const CHATLLM_MAGICS = ['ggmm', 'ggml'];
const MODEL_FIX = "convert it with chatllm.cpp's convert.py, or make a reference model with leakgate make-ref-model";

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
  const threads = positiveInteger('--threads', options.threads ?? envNumber(env, 'INFERENCE_THREADS') ?? 6);
  const contextLength = positiveInteger('--context', options.context ?? envNumber(env, 'CONTEXT_LENGTH') ?? 4096);
  const explicitGenMaxTokens = options.genMaxTokens === undefined ? null : positiveInteger('--gen-max-tokens', options.genMaxTokens);
  const timeoutScale = options.timeoutScale ?? 1;
  if (!(timeoutScale > 0)) throw usageError(`--timeout-scale must be a number > 0, got ${timeoutScale} (e.g. --timeout-scale 2)`);
  const language = options.language ?? env.ASR_LANGUAGE ?? 'Chinese';

  let modelPaths = requestedModelPaths(options, env);
  if (!options.models?.length && env.LEAKGATE_MODELS?.trim() && modelPaths.length === 0) {
    throw usageError(`LEAKGATE_MODELS=${env.LEAKGATE_MODELS} names no model file (set it to a.bin,b.bin, or unset it for the default models)`);
  }
  if (modelPaths.length === 0 && SEED_MODELS.every((path) => existsSync(resolve(cwd, path)))) {
    modelPaths = SEED_MODELS;
    notes.push('models: the seed layout under models/');
  }
  modelPaths = modelPaths.map((path) => resolve(cwd, path));
  // Before anything opens them: reading a FIFO would wait for a writer for ever.
  // (A folder is named as such by describeModelFile.)
  for (const path of modelPaths) {
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) refuseNonRegularFileSync(path, 'model file', 'pass --model PATH to a chatllm.cpp .bin file');
  }

  let libraryPath = requestedLibraryPath(options, env);
  // Reference models only load in the reference engine: they choose it unless --lib says otherwise.
  const onlyReferenceModels = (await Promise.all(modelPaths.map((path) => readRefModelHeader(path).catch(() => null)))).every(Boolean);
  if (!libraryPath && modelPaths.length > 0 && !onlyReferenceModels) {
    libraryPath = engineLibraryCandidates().find((path) => existsSync(path));
    if (libraryPath) notes.push(`engine: found ${libraryPath}`);
  }
  let referenceEngine = libraryPath !== undefined && sameFile(resolve(cwd, libraryPath), refEngineLibraryPath());
  if (!libraryPath) {
    libraryPath = await ensureRefEngineBuilt();
    referenceEngine = true;
    notes.push('engine: leakgate reference engine (the test oracle, not chatllm.cpp)');
  }
  libraryPath = resolve(cwd, libraryPath);
  if (!existsSync(libraryPath)) {
    throw usageError(`engine library not found: ${libraryPath} (pass --lib or set LIBCHATLLM to a built libchatllm.so; npm run native:build builds one)`);
  }
  refuseNonRegularFileSync(libraryPath, 'engine library', 'pass --lib or set LIBCHATLLM to a built libchatllm.so file');

  if (modelPaths.length === 0) {
    if (!referenceEngine) {
      throw usageError('no models to run: pass --model PATH (repeatable) or set LEAKGATE_MODELS=a.bin,b.bin');
    }
    modelPaths = await generatedReferenceModels();
    notes.push('models: two generated reference models (32 MiB and 80 MiB)');
  }

  const audioPath = resolve(cwd, options.audio ?? DEFAULT_AUDIO);
  refuseNonRegularFileSync(audioPath, 'audio file', 'pass --audio PATH to a WAV or other audio file');
  const truth = readTruth(options.truth, audioPath, cwd);
  const scenario = options.scenario ?? 'switch';

  const taken = new Set<string>();
  const models: RunConfig['models'] = [];
  for (const path of modelPaths) {
    const info = await describeModelFile(path, taken);
    taken.add(info.key);
    models.push({ ...info, timeoutsMs: phaseTimeouts(info.sizeBytes, timeoutScale) });
  }
  // The reference engine refuses anything but its own models; other engines are identified by the worker.
  if (referenceEngine) {
    const foreign = models.find((model) => model.kind !== 'reference');
    if (foreign) {
      throw usageError(
        `${foreign.path} is a chatllm.cpp model, but the engine is leakgate's reference engine, which loads only reference models (pass --lib PATH or set LIBCHATLLM to a real libchatllm.so, or make a model with leakgate make-ref-model)`,
      );
    }
  }
  const genMaxTokens = explicitGenMaxTokens ?? defaultGenMaxTokens(models, truth, notes);
  const outPath = resolve(cwd, options.out ?? 'results/model_switch_results.json');
  await checkWritable(outPath);
  const ffmpeg = await resolveFfmpeg(options.ffmpeg, env, cwd);
  refuseInputAsOutput(outPath, [
    ['engine library', libraryPath],
    ['audio file', audioPath],
    ...models.map((model): [string, string] => ['model file', model.path]),
    ['truth file', options.truth?.endsWith('.txt') ? resolve(cwd, options.truth) : truthBeside(audioPath)],
  ]);

  return {
    libraryPath,
    referenceEngine,
    models,
    iterations,
    stopRule,
    scenario,
    audioPath,
    ffmpeg,
    workerEnv: ffmpegWorkerEnv(ffmpeg, env),
    truth,
    threads,
    contextLength,
    language,
    trim: options.trim ?? false,
    failFast: options.failFast ?? false,
    outPath,
    genMaxTokens,
    verbose: options.verbose ?? false,
    notes,
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
  const fixed = options.iterations ?? envNumber(env, 'ITERATIONS');
  if (fixed !== undefined) return { rule: 'fixed', maxIterations: positiveInteger('--iterations', fixed), confirmIterations: null };
  const maxIterations = positiveInteger('--max-iterations', options.maxIterations ?? DEFAULT_MAX_ITERATIONS);
  return { rule: 'until-decided', maxIterations, confirmIterations: CONFIRM_ITERATIONS };
}

/** 256 tokens, or for a run of twins only, what the real model writes for the truth (twinGenMaxTokens). */
function defaultGenMaxTokens(models: readonly ModelInfo[], truth: string | null, notes: string[]): number {
  if (models.length === 0 || !models.every((model) => model.kind === 'twin')) return DEFAULT_GEN_MAX_TOKENS;
  const cap = twinGenMaxTokens(truth);
  notes.push(
    `generation: at most ${cap} tokens per transcription, what the real model writes for ${truth === null ? 'a short recording' : `the truth (${[...truth.replace(/\s+/g, '')].length} characters)`} ` +
      '(twins never end their text; --gen-max-tokens N to change)',
  );
  return cap;
}

async function describeModelFile(path: string, taken: ReadonlySet<string>): Promise<ModelInfo> {
  if (!existsSync(path)) {
    throw usageError(`model file not found: ${path} (pass --model PATH to an existing chatllm.cpp .bin, or set LEAKGATE_MODELS)`);
  }
  const stats = statSync(path);
  if (!stats.isFile()) throw usageError(`model path is not a file: ${path} (pass a chatllm.cpp .bin file)`);
  if (stats.size === 0) throw usageError(`model file is empty: ${path} (0 bytes; ${MODEL_FIX})`);
  const head = await readHead(path);
  let kind: ModelInfo['kind'];
  if (hasRefModelMagic(head)) {
    await readRefModelHeader(path); // rejects a truncated or corrupt reference model
    kind = 'reference';
  } else if (head.toString('latin1', 0, 4) === 'ggmm') {
    await checkGgmm(path, stats.size);
    kind = (await isTwinModel(path)) ? 'twin' : 'model';
  } else if (CHATLLM_MAGICS.includes(head.toString('latin1', 0, 4))) {
    kind = 'model';
  } else {
    throw usageError(
      `not a model file: ${path} (starts with ${JSON.stringify(head.toString('latin1', 0, 8))}, expected chatllm.cpp's "ggmm" or a reference model's "LGREFMDL"; ${MODEL_FIX})`,
    );
  }
  const { key, label } = modelIdentity(modelLabel(path), taken);
  return {
    key,
    label,
    path,
    sizeBytes: stats.size,
    sha256Prefix: (await sha256File(path)).slice(0, 16),
    kind,
  };
}

/** The first 8 bytes; a usage error when the file cannot be read. */
async function readHead(path: string): Promise<Buffer> {
  try {
    return await readFileHead(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(`model file not readable: ${path} (${code}; check its permissions, e.g. chmod a+r)`);
  }
}

/**
 * A GGMM file whose header, sections or tensor table do not fit its size is truncated: the engine
 * would fail to load it (or worse, read past the end). A tensor type leakgate's reader does not
 * know is no reason to refuse the file: the engine decides.
 */
async function checkGgmm(path: string, fileBytes: number): Promise<void> {
  if (fileBytes < ggmmHeaderBytes) {
    throw usageError(`model file truncated: ${path} is ${fileBytes} bytes, less than a GGMM header (${ggmmHeaderBytes}; ${MODEL_FIX})`);
  }
  try {
    await readGgmm(path);
  } catch (error) {
    if (error instanceof LeakgateError && !error.message.includes('block size leakgate does not know')) throw error;
  }
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
    throw usageError(`cannot write the results file ${outPath}: it is a folder (${fix}, e.g. --out ${join(outPath, 'model_switch_results.json')})`);
  }
  // Writing replaces the file by rename: a device or FIFO would be replaced, not written to.
  await checkWritableFile(outPath, 'results file', fix);
}

/** The results file is replaced by rename: given one of the run's inputs, it would destroy it. */
function refuseInputAsOutput(outPath: string, inputs: [string, string][]): void {
  const out = statSync(outPath, { throwIfNoEntry: false });
  if (!out) return;
  for (const [what, path] of inputs) {
    const input = statSync(path, { throwIfNoEntry: false });
    if (input && input.dev === out.dev && input.ino === out.ino) {
      throw usageError(`--out ${outPath} is the run's ${what} (${path}): writing the results would destroy it (pass --out to another file, e.g. results/model_switch_results.json)`);
    }
  }
}

async function generatedReferenceModels(): Promise<string[]> {
  const dir = join(tmpdir(), `leakgate-${process.getuid?.() ?? 'user'}`, 'ref-models');
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const { file, sizeBytes } of DEFAULT_REF_MODELS) {
    const path = join(dir, file);
    const header = existsSync(path) ? await readRefModelHeader(path).catch(() => null) : null;
    if (!header || header.sizeBytes !== sizeBytes) await writeRefModel(path, { sizeBytes });
    paths.push(path);
  }
  return paths;
}

function readTruth(truth: string | undefined, audioPath: string, cwd: string): string | null {
  if (truth !== undefined) {
    const asPath = resolve(cwd, truth);
    return truth.endsWith('.txt') && existsSync(asPath) ? readFileSync(asPath, 'utf8').trim() : truth;
  }
  const beside = truthBeside(audioPath);
  return existsSync(beside) ? readFileSync(beside, 'utf8').trim() : null;
}

/** The truth read by default: the .txt of the same name beside the audio. */
function truthBeside(audioPath: string): string {
  return join(dirname(audioPath), `${audioPath.replace(/^.*\//, '').replace(/\.[^.]+$/, '')}.txt`);
}

function positiveInteger(flag: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw usageError(`${flag} must be a whole number >= 1, got ${value} (e.g. ${flag} 30)`);
  }
  return value;
}

function envNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw usageError(`${name}=${raw} is not a number (unset it or give a whole number)`);
  return value;
}

function splitList(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

/** The model paths the user asked for, as given: --model, else LEAKGATE_MODELS (comma-separated); empty for the defaults. */
export function requestedModelPaths(options: Pick<RunOptions, 'models'>, env: NodeJS.ProcessEnv): string[] {
  return options.models?.length ? [...options.models] : splitList(env.LEAKGATE_MODELS);
}

/** The engine library the user asked for, as given: --lib, else LIBCHATLLM; undefined lets leakgate choose. */
export function requestedLibraryPath(options: Pick<RunOptions, 'lib'>, env: NodeJS.ProcessEnv): string | undefined {
  return options.lib ?? env.LIBCHATLLM;
}
