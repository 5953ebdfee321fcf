import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { usageError } from '../cli/LeakgateError.js';
import { ensureRefEngineBuilt } from '../refmodel/refEnginePath.js';
import { readRefModelHeader } from '../refmodel/readRefModelHeader.js';
import { writeRefModel } from '../refmodel/writeRefModel.js';
import { isTwinModel } from '../twin/isTwinModel.js';
import type { ModelInfo } from '../results/RunResults.js';
import { engineLibraryCandidates } from './engineLibraryCandidates.js';
import { modelKey, modelLabel } from './modelLabel.js';
import { PACKAGE_ROOT } from './packageRoot.js';
import { phaseTimeouts } from './phaseTimeouts.js';
import type { RunConfig } from './RunConfig.js';
import type { RunOptions } from './RunOptions.js';
import { sha256File } from './sha256File.js';

const SEED_MODELS = ['models/qwen3-asr-0.6b-q4_0.bin', 'models/qwen3-asr-1.7b-q4_0.bin'];
const DEFAULT_AUDIO = join(PACKAGE_ROOT, 'fixtures/audio/phone-zh.wav');
/** Two generated reference models, one 2.5x the other like 0.6B vs 1.7B. */
const DEFAULT_REF_MODELS = [
  { file: 'ref-small.bin', sizeBytes: 32 * 1024 ** 2 },
  { file: 'ref-large.bin', sizeBytes: 80 * 1024 ** 2 },
];

/**
 * Resolves user options against the environment (the seed's variable names plus LIBCHATLLM and
 * LEAKGATE_MODELS) and defaults. Throws a usage error naming the field, the value and the fix.
 */
export async function resolveRunConfig(options: RunOptions, env: NodeJS.ProcessEnv, cwd: string): Promise<RunConfig> {
  const notes: string[] = [];
  const iterations = positiveInteger('--iterations', options.iterations ?? envNumber(env, 'ITERATIONS') ?? 100);
  const threads = positiveInteger('--threads', options.threads ?? envNumber(env, 'INFERENCE_THREADS') ?? 6);
  const contextLength = positiveInteger('--context', options.context ?? envNumber(env, 'CONTEXT_LENGTH') ?? 4096);
  const genMaxTokens = positiveInteger('--gen-max-tokens', options.genMaxTokens ?? 256);
  const timeoutScale = options.timeoutScale ?? 1;
  if (!(timeoutScale > 0)) throw usageError(`--timeout-scale must be > 0, got ${timeoutScale} (e.g. --timeout-scale 2)`);
  const language = options.language ?? env.ASR_LANGUAGE ?? 'Chinese';

  let modelPaths = options.models?.length ? options.models : splitList(env.LEAKGATE_MODELS);
  if (modelPaths.length === 0 && SEED_MODELS.every((path) => existsSync(resolve(cwd, path)))) {
    modelPaths = SEED_MODELS;
    notes.push('models: the seed layout under models/');
  }
  modelPaths = modelPaths.map((path) => resolve(cwd, path));

  let libraryPath = options.lib ?? env.LIBCHATLLM;
  // Reference models only load in the reference engine: they choose it unless --lib says otherwise.
  const onlyReferenceModels = (await Promise.all(modelPaths.map((path) => readRefModelHeader(path).catch(() => null)))).every(Boolean);
  if (!libraryPath && modelPaths.length > 0 && !onlyReferenceModels) {
    libraryPath = engineLibraryCandidates().find((path) => existsSync(path));
    if (libraryPath) notes.push(`engine: found ${libraryPath}`);
  }
  let referenceEngine = false;
  if (!libraryPath) {
    libraryPath = await ensureRefEngineBuilt();
    referenceEngine = true;
    notes.push('engine: leakgate reference engine (the test oracle, not chatllm.cpp)');
  }
  libraryPath = resolve(cwd, libraryPath);
  if (!existsSync(libraryPath)) {
    throw usageError(`engine library not found: ${libraryPath} (pass --lib or set LIBCHATLLM to a built libchatllm.so; npm run native:build builds one)`);
  }

  if (modelPaths.length === 0) {
    if (!referenceEngine) {
      throw usageError('no models to run: pass --model PATH (repeatable) or set LEAKGATE_MODELS=a.bin,b.bin');
    }
    modelPaths = await generatedReferenceModels();
    notes.push('models: two generated reference models (32 MiB and 80 MiB)');
  }

  const audioPath = resolve(cwd, options.audio ?? DEFAULT_AUDIO);
  const truth = readTruth(options.truth, audioPath, cwd);
  const scenario = options.scenario ?? 'switch';

  const taken = new Set<string>();
  const models: RunConfig['models'] = [];
  for (const path of modelPaths) {
    const info = await describeModelFile(path, taken);
    taken.add(info.key);
    models.push({ ...info, timeoutsMs: phaseTimeouts(info.sizeBytes, timeoutScale) });
  }

  return {
    libraryPath,
    referenceEngine,
    models,
    iterations,
    scenario,
    audioPath,
    truth,
    threads,
    contextLength,
    language,
    trim: options.trim ?? false,
    outPath: resolve(cwd, options.out ?? 'results/model_switch_results.json'),
    genMaxTokens,
    verbose: options.verbose ?? false,
    notes,
  };
}

async function describeModelFile(path: string, taken: ReadonlySet<string>): Promise<ModelInfo> {
  if (!existsSync(path)) {
    throw usageError(`model file not found: ${path} (pass --model PATH to an existing chatllm.cpp .bin, or set LEAKGATE_MODELS)`);
  }
  const stats = statSync(path);
  if (!stats.isFile()) throw usageError(`model path is not a file: ${path} (pass a chatllm.cpp .bin file)`);
  const label = modelLabel(path);
  const kind = (await readRefModelHeader(path).catch(() => null)) ? 'reference' : (await isTwinModel(path)) ? 'twin' : 'model';
  return {
    key: modelKey(label, taken),
    label,
    path,
    sizeBytes: stats.size,
    sha256Prefix: (await sha256File(path)).slice(0, 16),
    kind,
  };
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
  const beside = join(dirname(audioPath), `${audioPath.replace(/^.*\//, '').replace(/\.[^.]+$/, '')}.txt`);
  return existsSync(beside) ? readFileSync(beside, 'utf8').trim() : null;
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
