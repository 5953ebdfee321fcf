// Builds leakgate's native helpers from their C sources: the reference engine
// (native/refengine/refengine.c -> libchatllm-ref.so) and the worker's crash-stack handler
// (native/crashstack/crashstack.c -> libleakgate-crashstack.so) and the worker's allocation ledger
// (native/ledger/ledger.c -> libleakgate-ledger.so). Add a helper to NATIVE_HELPERS.
// In this repository they go to native/build/, built by `npm install` (the "prepare" script), by
// `npm run build:ref`, and by tests through src/refmodel/refEnginePath.ts. Installed as a
// dependency, npm runs no install script of leakgate's, so they are built on first use into a
// cache folder (nativeBuildDir) from the C sources the package ships.
// Usage: node src/refmodel/buildRefEngine.js [--force]
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { accessSync, constants, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// src/refmodel/ in the repository, dist/refmodel/ in the package: the root is two folders up either way.
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The native helpers, each compiled from one C file into one shared library in nativeBuildDir().
 * `flags` are added after the common CFLAGS (e.g. ['-ldl'] for a library that needs libdl). The
 * allocation ledger's operator new lets std::bad_alloc through its frame, its hooks find their own CFA
 * through the frame pointer, and its unwinder needs libgcc_s.
 * @type {readonly { name: string, source: string, library: string, flags?: readonly string[] }[]}
 */
export const NATIVE_HELPERS = [
  { name: 'reference engine', source: 'native/refengine/refengine.c', library: 'libchatllm-ref.so' },
  { name: 'crash-stack helper', source: 'native/crashstack/crashstack.c', library: 'libleakgate-crashstack.so' },
  {
    name: 'allocation ledger',
    source: 'native/ledger/ledger.c',
    library: 'libleakgate-ledger.so',
    flags: ['-fexceptions', '-fno-omit-frame-pointer', '-lgcc_s'],
  },
];

const CFLAGS = ['-std=c11', '-O2', '-g', '-Wall', '-Wextra', '-shared', '-fPIC', '-pthread', '-fvisibility=hidden'];

/** Exit codes shared with src/errors.ts (plain JS cannot import the TS module). */
const EXIT_BUILD_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_ENVIRONMENT = 4;

/**
 * Where the native helpers are built for a package at `root`:
 * - a checkout (not inside node_modules/): ROOT/native/build, as `npm install` builds them;
 * - a dependency (ROOT inside PROJECT/node_modules/): PROJECT/node_modules/.cache/leakgate/VERSION-HASH,
 *   or $LEAKGATE_CACHE_DIR/VERSION-HASH when set; HASH covers the sources and flags, so an upgrade or a
 *   patched source never loads an old build, and `npm ci` (which empties node_modules) clears it.
 * @param {string} root
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string}
 */
export function nativeBuildDir(root = packageRoot, env = process.env) {
  const modules = root.split(sep).indexOf('node_modules');
  if (modules < 0 && !env.LEAKGATE_CACHE_DIR) return join(root, 'native', 'build');
  const key = `${packageVersion(root)}-${sourcesHash(root)}`;
  if (env.LEAKGATE_CACHE_DIR) return join(resolve(env.LEAKGATE_CACHE_DIR), key);
  const nodeModules =
    root
      .split(sep)
      .slice(0, modules + 1)
      .join(sep) || sep;
  if (writable(nodeModules)) return join(nodeModules, '.cache', 'leakgate', key);
  // A read-only node_modules (a container image): the user's cache folder.
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'leakgate', key);
}

/** @param {string} root */
function packageVersion(root) {
  try {
    return /** @type {{ version: string }} */ (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))).version;
  } catch {
    return 'unknown';
  }
}

/** @param {string} root */
function sourcesHash(root) {
  const hash = createHash('sha256').update(CFLAGS.join(' '));
  for (const helper of NATIVE_HELPERS) {
    hash.update(`\0${helper.library}\0${(helper.flags ?? []).join(' ')}\0`);
    try {
      hash.update(readFileSync(join(root, helper.source)));
    } catch {
      hash.update('missing');
    }
  }
  return hash.digest('hex').slice(0, 12);
}

/** @param {string} path */
function writable(path) {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** @type {string | undefined} */
let buildDir;
/** nativeBuildDir() for this package, computed once (the worker asks for it at every start). */
function thisBuildDir() {
  buildDir ??= nativeBuildDir();
  return buildDir;
}

/**
 * Absolute paths of a native helper's C source and built library (which may not exist yet).
 * @param {string} name a NATIVE_HELPERS name
 * @returns {{ sourcePath: string, libraryPath: string }}
 */
export function nativeHelperPaths(name) {
  const helper = NATIVE_HELPERS.find((h) => h.name === name);
  if (!helper) throw new Error(`no native helper named ${name} (one of ${NATIVE_HELPERS.map((h) => h.name).join(', ')})`);
  return { sourcePath: join(packageRoot, helper.source), libraryPath: join(thisBuildDir(), helper.library) };
}

/**
 * Absolute paths of the reference engine's C source and built library.
 * @returns {{ sourcePath: string, libraryPath: string }}
 */
export function refEnginePaths() {
  return nativeHelperPaths('reference engine');
}

/**
 * Absolute paths of the crash-stack handler's C source and built library.
 * @returns {{ sourcePath: string, libraryPath: string }}
 */
export function crashStackPaths() {
  return nativeHelperPaths('crash-stack helper');
}

/**
 * Absolute paths of the allocation ledger's C source and built library.
 * @returns {{ sourcePath: string, libraryPath: string }}
 */
export function ledgerPaths() {
  return nativeHelperPaths('allocation ledger');
}

/**
 * Compiles the native helpers that are missing or stale (buildRefEngine) and resolves to the allocation
 * ledger's library: what the worker preloads. Rejects like buildRefEngine.
 * @param {{ force?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<{ libraryPath: string, built: boolean, compiler: string | undefined, buildMs: number }>}
 */
export async function buildLedger(options = {}) {
  return { ...(await buildRefEngine(options)), libraryPath: ledgerPaths().libraryPath };
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
 * An error with a `code` the TypeScript side maps to a LeakgateError: 'LEAKGATE_NO_COMPILER' /
 * 'LEAKGATE_UNSUPPORTED_PLATFORM' / 'LEAKGATE_BUILD_DIR' (environment) or 'LEAKGATE_BUILD_FAILED'.
 * `details` holds the compiler's full output, if any.
 * @param {string} code
 * @param {string} message
 * @param {string} [details]
 */
function buildError(code, message, details) {
  return Object.assign(new Error(message), { code, details });
}

/**
 * Compiles every native helper whose library is missing or older than its source, and resolves to
 * the reference engine's. Writes each to a temporary file and renames it, so a concurrent loader
 * never sees a half-written library. A build outside a checkout (leakgate installed as a dependency)
 * is announced with one line on stderr, or through `log`.
 * @param {{ force?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<{ libraryPath: string, built: boolean, compiler: string | undefined, buildMs: number }>}
 */
export async function buildRefEngine(options = {}) {
  const force = options.force ?? false;
  const dir = thisBuildDir();
  const stale = [];
  for (const helper of NATIVE_HELPERS) {
    const { sourcePath, libraryPath } = nativeHelperPaths(helper.name);
    if (force || (await isStale(sourcePath, libraryPath))) stale.push(helper);
  }
  if (stale.length > 0 && !dir.startsWith(join(packageRoot, 'native') + sep)) {
    const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    const names = stale.map((h) => h.name);
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
    log(`leakgate: first use: compiling the ${list} into ${dir}`);
  }
  let built = false;
  let compiler;
  let buildMs = 0;
  for (const helper of stale) {
    const { sourcePath, libraryPath } = nativeHelperPaths(helper.name);
    const result = await buildLibrary(sourcePath, libraryPath, helper.flags ?? []);
    built = true;
    compiler ??= result.compiler;
    buildMs += result.buildMs;
  }
  return { libraryPath: refEnginePaths().libraryPath, built, compiler, buildMs };
}

/**
 * True when the library is missing or older than its source; a missing source is a build error.
 * @param {string} sourcePath
 * @param {string} libraryPath
 */
async function isStale(sourcePath, libraryPath) {
  if (process.platform !== 'linux') {
    throw buildError(
      'LEAKGATE_UNSUPPORTED_PLATFORM',
      `the reference engine needs Linux/glibc, this is ${process.platform} (run the reference-engine tests on Linux)`,
    );
  }
  const sourceMtimeMs = await mtimeMsOf(sourcePath);
  if (sourceMtimeMs === undefined) {
    throw buildError('LEAKGATE_BUILD_FAILED', `native source missing: ${sourcePath} (restore it from git, or reinstall leakgate)`);
  }
  const libraryMtimeMs = await mtimeMsOf(libraryPath);
  return libraryMtimeMs === undefined || libraryMtimeMs < sourceMtimeMs;
}

/**
 * Creates the build folder and its missing parents one at a time: Node's recursive mkdir loops for ever
 * (blocking SIGTERM) where mkdir answers ENOENT under an existing folder, as in /proc, and a folder that
 * cannot be made is one line naming it and LEAKGATE_CACHE_DIR (exit 4), not a bare errno.
 * @param {string} dir
 */
async function makeBuildDir(dir) {
  const missing = [];
  for (let at = dir; ; at = dirname(at)) {
    const kind = await stat(at).then(
      (stats) => (stats.isDirectory() ? 'folder' : 'not a folder'),
      // ENOTDIR: a file further up, which the walk reaches
      (/** @type {NodeJS.ErrnoException} */ error) =>
        error.code === 'ENOENT' || error.code === 'ENOTDIR' ? 'missing' : (error.code ?? 'unreadable'),
    );
    if (kind === 'folder') break;
    if (kind !== 'missing') throw buildDirError(dir, `${at} is ${kind === 'not a folder' ? 'not a folder' : `unreadable (${kind})`}`);
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const at of missing) {
    try {
      await mkdir(at);
    } catch (error) {
      const code = /** @type {NodeJS.ErrnoException} */ (error).code;
      if (code !== 'EEXIST') throw buildDirError(dir, `mkdir ${at} failed (${code ?? String(error)})`);
    }
  }
}

/**
 * @param {string} dir
 * @param {string} detail
 */
function buildDirError(dir, detail) {
  const fix = process.env.LEAKGATE_CACHE_DIR
    ? `set LEAKGATE_CACHE_DIR (now ${JSON.stringify(process.env.LEAKGATE_CACHE_DIR)}) to a writable folder, or unset it`
    : 'make it writable, or set LEAKGATE_CACHE_DIR to a writable folder';
  return buildError('LEAKGATE_BUILD_DIR', `cannot create the native build folder ${dir}: ${detail} (${fix})`);
}

/**
 * @param {string} sourcePath
 * @param {string} libraryPath
 * @param {readonly string[]} flags
 * @returns {Promise<{ compiler: string, buildMs: number }>}
 */
async function buildLibrary(sourcePath, libraryPath, flags) {
  const [compiler = 'cc', ...compilerArgs] = (process.env.CC?.trim() || 'cc').split(/\s+/);
  const tempPath = `${libraryPath}.${process.pid}.${Date.now()}.tmp`;
  await makeBuildDir(dirname(libraryPath));
  const startedMs = performance.now();
  try {
    await run(compiler, [...compilerArgs, ...CFLAGS, '-o', tempPath, sourcePath, ...flags]);
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
      `compiling ${relative(packageRoot, sourcePath)} with ${compiler} failed: ${firstLine} (run node src/refmodel/buildRefEngine.js ` +
        `--force for the full output)`,
      err.stderr,
    );
  }
  return { compiler, buildMs: performance.now() - startedMs };
}

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--force');
  if (unknown.length > 0) {
    console.error(`buildRefEngine: unknown argument ${unknown[0]} (usage: node src/refmodel/buildRefEngine.js [--force])`);
    return EXIT_USAGE;
  }
  const fromNpmInstall = process.env.npm_lifecycle_event === 'prepare';
  const shownPath = relative(process.cwd(), thisBuildDir()) || thisBuildDir();
  try {
    const result = await buildRefEngine({ force: args.includes('--force'), log: () => undefined });
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
    return err.code === 'LEAKGATE_BUILD_DIR' ? EXIT_ENVIRONMENT : EXIT_BUILD_FAILED;
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
