// Builds leakgate's reference engine (native/refengine/refengine.c -> native/build/libchatllm-ref.so).
// Runs on `npm install` (the "prepare" script), from `npm run build:ref`, and from tests through
// src/refmodel/refEnginePath.ts. Usage: node src/refmodel/buildRefEngine.js [--force]
import { execFile } from 'node:child_process';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sourcePath = join(repoRoot, 'native', 'refengine', 'refengine.c');
const libraryPath = join(repoRoot, 'native', 'build', 'libchatllm-ref.so');
// The worker's crash-stack handler (native/crashstack): built with the reference engine, on install.
const crashStackSourcePath = join(repoRoot, 'native', 'crashstack', 'crashstack.c');
const crashStackLibraryPath = join(repoRoot, 'native', 'build', 'libleakgate-crashstack.so');
// The worker's allocation ledger (native/ledger), preloaded into the worker: built on install, and on first use.
const ledgerSourcePath = join(repoRoot, 'native', 'ledger', 'ledger.c');
const ledgerLibraryPath = join(repoRoot, 'native', 'build', 'libleakgate-ledger.so');
/**
 * The ledger's operator new lets std::bad_alloc through its frame, its hooks find their own CFA through
 * the frame pointer, and its unwinder needs libgcc_s.
 */
const LEDGER_FLAGS = ['-fexceptions', '-fno-omit-frame-pointer', '-lgcc_s'];

const CFLAGS = ['-std=c11', '-O2', '-g', '-Wall', '-Wextra', '-shared', '-fPIC', '-pthread', '-fvisibility=hidden'];

/** Exit codes shared with src/errors.ts (plain JS cannot import the TS module). */
const EXIT_BUILD_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_ENVIRONMENT = 4;

/**
 * Absolute paths of the reference engine's C source and built library.
 * @returns {{ sourcePath: string, libraryPath: string }}
 */
export function refEnginePaths() {
  return { sourcePath, libraryPath };
}

/**
 * Absolute paths of the crash-stack handler's C source and built library.
 * @returns {{ sourcePath: string, libraryPath: string }}
 */
export function crashStackPaths() {
  return { sourcePath: crashStackSourcePath, libraryPath: crashStackLibraryPath };
}

/**
 * Absolute paths of the allocation ledger's C source and built library.
 * @returns {{ sourcePath: string, libraryPath: string }}
 */
export function ledgerPaths() {
  return { sourcePath: ledgerSourcePath, libraryPath: ledgerLibraryPath };
}

/**
 * Compiles the allocation ledger when it is missing or older than its source: the one function to call
 * where install scripts did not run (leakgate as a dependency). Rejects like buildRefEngine.
 * @param {{ force?: boolean }} [options]
 * @returns {Promise<{ libraryPath: string, built: boolean, compiler: string | undefined, buildMs: number }>}
 */
export async function buildLedger(options = {}) {
  return buildLibrary(ledgerSourcePath, ledgerLibraryPath, options.force ?? false, LEDGER_FLAGS);
}

/** @param {string} path */
async function mtimeMsOf(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<{ stderr: string }>}
 */
function run(command, args) {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { maxBuffer: 4 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolvePromise({ stderr });
    });
  });
}

/**
 * An error with a `code` the TypeScript side maps to a LeakgateError:
 * 'LEAKGATE_NO_COMPILER' / 'LEAKGATE_UNSUPPORTED_PLATFORM' (environment) or 'LEAKGATE_BUILD_FAILED'.
 * `details` holds the compiler's full output, if any.
 * @param {string} code
 * @param {string} message
 * @param {string} [details]
 */
function buildError(code, message, details) {
  return Object.assign(new Error(message), { code, details });
}

/**
 * Compiles the reference engine when the library is missing or older than its source.
 * Writes to a temporary file and renames it, so a concurrent loader never sees a half-written library.
 * @param {{ force?: boolean }} [options]
 * @returns {Promise<{ libraryPath: string, built: boolean, compiler: string | undefined, buildMs: number }>}
 */
export async function buildRefEngine(options = {}) {
  const result = await buildLibrary(sourcePath, libraryPath, options.force ?? false);
  const crashStack = await buildLibrary(crashStackSourcePath, crashStackLibraryPath, options.force ?? false);
  const ledger = await buildLedger(options);
  return {
    ...result,
    built: result.built || crashStack.built || ledger.built,
    compiler: result.compiler ?? crashStack.compiler ?? ledger.compiler,
    buildMs: result.buildMs + crashStack.buildMs + ledger.buildMs,
  };
}

/**
 * @param {string} sourcePath
 * @param {string} libraryPath
 * @param {boolean} force
 * @param {string[]} [extraFlags] after the source (libraries to link)
 * @returns {Promise<{ libraryPath: string, built: boolean, compiler: string | undefined, buildMs: number }>}
 */
async function buildLibrary(sourcePath, libraryPath, force, extraFlags = []) {
  if (process.platform !== 'linux') {
    throw buildError(
      'LEAKGATE_UNSUPPORTED_PLATFORM',
      `the reference engine needs Linux/glibc, this is ${process.platform} (run the reference-engine tests on Linux)`,
    );
  }
  const sourceMtimeMs = await mtimeMsOf(sourcePath);
  if (sourceMtimeMs === undefined) {
    throw buildError('LEAKGATE_BUILD_FAILED', `native source missing: ${sourcePath} (restore it from git)`);
  }
  const libraryMtimeMs = await mtimeMsOf(libraryPath);
  if (!force && libraryMtimeMs !== undefined && libraryMtimeMs >= sourceMtimeMs) {
    return { libraryPath, built: false, compiler: undefined, buildMs: 0 };
  }

  const [compiler = 'cc', ...compilerArgs] = (process.env.CC?.trim() || 'cc').split(/\s+/);
  const tempPath = `${libraryPath}.${process.pid}.${Date.now()}.tmp`;
  await mkdir(dirname(libraryPath), { recursive: true });
  const startedMs = performance.now();
  try {
    await run(compiler, [...compilerArgs, ...CFLAGS, '-o', tempPath, sourcePath, ...extraFlags]);
    await rename(tempPath, libraryPath);
  } catch (error) {
    await rm(tempPath, { force: true });
    const err = /** @type {NodeJS.ErrnoException & { stderr?: string }} */ (error);
    if (err.code === 'ENOENT' && err.syscall?.startsWith('spawn')) {
      throw buildError(
        'LEAKGATE_NO_COMPILER',
        `no C compiler found (${compiler}) to build the reference engine (apt-get install gcc, or set CC)`,
      );
    }
    const firstLine = (err.stderr ?? String(err.message)).trim().split('\n')[0] ?? '';
    throw buildError(
      'LEAKGATE_BUILD_FAILED',
      `compiling ${relative(repoRoot, sourcePath)} with ${compiler} failed: ${firstLine} (run node src/refmodel/buildRefEngine.js --force for the full output)`,
      err.stderr,
    );
  }
  return { libraryPath, built: true, compiler, buildMs: performance.now() - startedMs };
}

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--force');
  if (unknown.length > 0) {
    console.error(`buildRefEngine: unknown argument ${unknown[0]} (usage: node src/refmodel/buildRefEngine.js [--force])`);
    return EXIT_USAGE;
  }
  const fromNpmInstall = process.env.npm_lifecycle_event === 'prepare';
  const shownPath = relative(process.cwd(), libraryPath) || libraryPath;
  try {
    const result = await buildRefEngine({ force: args.includes('--force') });
    console.log(
      result.built
        ? `leakgate: built ${shownPath} with ${result.compiler} in ${(result.buildMs / 1000).toFixed(1)} s`
        : `leakgate: ${shownPath} is up to date`,
    );
    return 0;
  } catch (error) {
    const err = /** @type {Error & { code?: string, details?: string }} */ (error);
    if (err.code === 'LEAKGATE_NO_COMPILER' || err.code === 'LEAKGATE_UNSUPPORTED_PLATFORM') {
      console.warn(`leakgate: warning: ${err.message}; the reference-engine tests cannot run until it is built`);
      return fromNpmInstall ? 0 : EXIT_ENVIRONMENT;
    }
    if (err.details) console.error(err.details.trimEnd());
    console.error(`leakgate: ${err.message}`);
    return EXIT_BUILD_FAILED;
  }
}

/** True when this file is the entry point (`node src/refmodel/buildRefEngine.js`), not imported. */
function invokedDirectly() {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = await main();
}
