#!/usr/bin/env node
// Builds chatllm.cpp's libchatllm with CMake and leaves it, with the ggml libraries it needs, in
// native/build/lib/ (where leakgate looks first). Plain JavaScript so it runs before `npm ci` has tsx.
//
//   npm run native:build [-- --portable] [--patch FILE ...] [--no-patches] [--out DIR]
//   CHATLLM_SRC=/path/to/chatllm.cpp BUILD_THREADS=2 npm run native:build
//
// Source: $CHATLLM_SRC when set, else the native/chatllm.cpp submodule (the pinned commit).
// Patches: native/patches/*.diff in name order (or each --patch FILE, in order) applied with
// `git apply` to a scratch copy of the source (OUT/patched-src): the checkout is never modified.
// --portable (or LEAKGATE_PORTABLE=1) builds without -march=native: a cached library must run on
// other CI runners, and valgrind cannot run AVX-512 code.
// Exit codes: 0 built; 1 build failed; 2 no source or bad argument; 4 no cmake or no compiler.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const submodulePath = join(repoRoot, 'native', 'chatllm.cpp');
const patchesDir = join(repoRoot, 'native', 'patches');
const defaultOutDir = join(repoRoot, 'native', 'build');
// Set by nativeBuild from --out (default native/build): the CMake tree, the installed libraries and the patched copy.
let buildDir = join(defaultOutDir, 'cmake');
let libDir = join(defaultOutDir, 'lib');
const TARGET = 'libchatllm';

const EXIT_BUILD_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_ENVIRONMENT = 4;

const USAGE = `Usage: node scripts/native-build.js [--portable] [--patch FILE]... [--no-patches] [--out DIR]
       (npm run native:build [-- options])

Builds chatllm.cpp's libchatllm into native/build/lib/ (libchatllm.so + the ggml libraries, RUNPATH $ORIGIN).
  --portable          no -march=native (GGML_NATIVE=OFF): for cached CI builds and valgrind  [LEAKGATE_PORTABLE=1]
  --patch FILE        apply this patch to (a copy of) the source before building; repeatable, applied in order.
                      Default: every native/patches/*.diff in name order ("upstream + our patches")
  --no-patches        build the source as it is ("upstream as is"), ignoring native/patches/
  --out DIR           build into DIR/cmake and install into DIR/lib instead of native/build/ (e.g. base and head side by side)
Environment:
  CHATLLM_SRC=DIR     build this chatllm.cpp checkout instead of the native/chatllm.cpp submodule
  BUILD_THREADS=N     parallel compile jobs (default: the number of cores)
  CHATLLM_COMMIT=SHA  commit to record when CHATLLM_SRC is not a git checkout`;

/** An error carrying the exit code `main` returns. */
class BuildError extends Error {
  /** @param {string} message @param {number} exitCode */
  constructor(message, exitCode) {
    super(message);
    this.exitCode = exitCode;
  }
}

/**
 * Absolute paths the build uses: the submodule, the patch set, the CMake build tree and the output directory.
 * @returns {{ repoRoot: string, submodulePath: string, patchesDir: string, buildDir: string, libDir: string }}
 */
export function nativeBuildPaths() {
  return { repoRoot, submodulePath, patchesDir, buildDir, libDir };
}

/**
 * The patches to apply, in order: the --patch files as given, else native/patches/*.diff by name.
 * @param {string[]} patchArgs
 * @param {boolean} noPatches
 * @param {string} dir where the default patch set lives
 * @returns {Promise<{ name: string, path: string, sha256: string }[]>}
 * @throws {BuildError} exit 2 when a --patch file does not exist
 */
export async function resolvePatches(patchArgs, noPatches, dir = patchesDir) {
  if (noPatches) return [];
  let paths;
  if (patchArgs.length > 0) {
    paths = patchArgs.map((path) => resolve(path));
    const missing = paths.find((path) => !existsSync(path));
    if (missing) throw new BuildError(`--patch ${missing}: no such file (give the path of a .diff)`, EXIT_USAGE);
  } else {
    paths = existsSync(dir)
      ? (await readdir(dir))
          .filter((name) => name.endsWith('.diff'))
          .sort()
          .map((name) => join(dir, name))
      : [];
  }
  return Promise.all(paths.map(async (path) => ({ name: path.split(sep).at(-1) ?? path, path, sha256: await sha256Of(path) })));
}

/**
 * Which hunk of a patch git could not apply: "src/chat.cpp:120" from its error, and the hunk header
 * that starts there ("@@ -120,7 +120,8 @@ ...") from the patch itself.
 * @param {string} gitError git apply's stderr
 * @param {string} patchText
 * @returns {string}
 */
export function describeFailedHunk(gitError, patchText) {
  const failed = /patch failed: (.+):(\d+)/.exec(gitError);
  if (!failed) {
    const other = gitError
      .split('\n')
      .find((line) => line.startsWith('error:'))
      ?.replace(/^error:\s*/, '');
    return other ?? (gitError.trim() || 'git apply failed');
  }
  const [, file, line] = failed;
  let inFile = false;
  for (const row of patchText.split('\n')) {
    if (row.startsWith('diff --git ')) inFile = false;
    if (row.startsWith('+++ ')) inFile = row.replace(/^\+\+\+ (b\/)?/, '').trim() === file;
    if (inFile && (row.startsWith(`@@ -${line},`) || row.startsWith(`@@ -${line} `))) return `hunk ${row.trim()} in ${file}`;
  }
  return `hunk at ${file}:${line}`;
}

/**
 * Copies the source to OUT/patched-src (timestamps kept, so an incremental build recompiles only what
 * the patches touch) and applies each patch in order with git apply. The checkout itself is never touched.
 * @param {string} sourcePath
 * @param {{ name: string, path: string }[]} patches
 * @param {string} outDir
 * @returns {Promise<string>} the patched copy
 * @throws {BuildError} exit 2 naming the patch and the hunk that no longer applies
 */
async function applyPatches(sourcePath, patches, outDir) {
  const copy = join(outDir, 'patched-src');
  await rm(copy, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await cp(sourcePath, copy, { recursive: true, preserveTimestamps: true, filter: (path) => !path.split(sep).includes('.git') });
  // The copy may sit inside leakgate's own checkout: git must not take that repository for the patch's.
  const env = { ...process.env, GIT_CEILING_DIRECTORIES: outDir };
  for (const patch of patches) {
    try {
      await capture('git', ['apply', '--whitespace=nowarn', patch.path], { cwd: copy, env });
      console.log(`native:build: applied ${patch.name}`);
    } catch (error) {
      const stderr = /** @type {{ stderr?: string }} */ (error).stderr ?? String(error);
      const hunk = describeFailedHunk(stderr, await readFile(patch.path, 'utf8'));
      throw new BuildError(
        `patch ${patch.name} no longer applies to ${sourcePath}: ${hunk} (refresh it against this source, drop it from native/patches/, ` +
          `or build upstream as is with --no-patches)`,
        EXIT_USAGE,
      );
    }
  }
  return copy;
}

/**
 * The chatllm.cpp source to build: $CHATLLM_SRC, else the submodule when it is checked out.
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ path: string, origin: 'CHATLLM_SRC' | 'submodule' }}
 * @throws {BuildError} exit 2 with the commands that get a source
 */
export function resolveChatllmSource(env) {
  const howTo = [
    'get one of:',
    '  git submodule update --init native/chatllm.cpp          # the pinned commit (needs network access to github.com)',
    '  CHATLLM_SRC=/path/to/chatllm.cpp npm run native:build   # a checkout of your own',
  ].join('\n');
  if (env.CHATLLM_SRC) {
    const path = resolve(env.CHATLLM_SRC);
    if (!existsSync(join(path, 'CMakeLists.txt'))) {
      throw new BuildError(`no chatllm.cpp source: CHATLLM_SRC=${env.CHATLLM_SRC} has no CMakeLists.txt\n${howTo}`, EXIT_USAGE);
    }
    return { path, origin: 'CHATLLM_SRC' };
  }
  if (!existsSync(join(submodulePath, 'CMakeLists.txt'))) {
    throw new BuildError(
      `no chatllm.cpp source: the submodule ${relative(process.cwd(), submodulePath) || submodulePath} is not checked out\n${howTo}`,
      EXIT_USAGE,
    );
  }
  return { path: submodulePath, origin: 'submodule' };
}

/** @param {string} name @param {NodeJS.ProcessEnv} env */
function onPath(name, env) {
  if (isAbsolute(name)) return existsSync(name) ? name : null;
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    if (directory && existsSync(join(directory, name))) return join(directory, name);
  }
  return null;
}

/**
 * Fails with exit 4 when cmake, a C or a C++ compiler is missing (ggml is C, chatllm.cpp is C++).
 * @param {NodeJS.ProcessEnv} env
 */
function checkToolchain(env) {
  const fix = '(apt-get install cmake g++)';
  if (!onPath('cmake', env)) throw new BuildError(`cmake not found on PATH ${fix}`, EXIT_ENVIRONMENT);
  const cxx = env.CXX?.trim().split(/\s+/)[0];
  if (!(cxx ? onPath(cxx, env) : ['c++', 'g++', 'clang++'].some((name) => onPath(name, env)))) {
    throw new BuildError(`no C++ compiler found (${cxx ? `CXX=${cxx}` : 'c++, g++ or clang++'} on PATH) ${fix}`, EXIT_ENVIRONMENT);
  }
  const cc = env.CC?.trim().split(/\s+/)[0];
  if (!(cc ? onPath(cc, env) : ['cc', 'gcc', 'clang'].some((name) => onPath(name, env)))) {
    throw new BuildError(`no C compiler found (${cc ? `CC=${cc}` : 'cc, gcc or clang'} on PATH) ${fix}`, EXIT_ENVIRONMENT);
  }
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<string>} stdout
 */
function capture(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { ...options, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolvePromise(stdout);
    });
  });
}

/**
 * Runs a command with its output shown, as a build should be.
 * @param {string} command
 * @param {string[]} args
 */
function runShown(command, args) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise(undefined);
      else
        reject(new BuildError(`${command} ${args[0]} failed (${signal ?? `exit code ${code}`}); its output is above`, EXIT_BUILD_FAILED));
    });
  });
}

/** @param {string} dir @returns {Promise<string | null>} */
async function gitHead(dir) {
  try {
    return (await capture('git', ['-C', dir, 'rev-parse', 'HEAD'])).trim();
  } catch {
    return null;
  }
}

/** The commit the native/chatllm.cpp gitlink pins in the index (a staged bump counts), or null outside a git checkout. */
async function pinnedCommit() {
  try {
    return (await capture('git', ['-C', repoRoot, 'rev-parse', ':native/chatllm.cpp'])).trim();
  } catch {
    return null;
  }
}

/**
 * Values of a CMakeCache.txt, or null when there is none.
 * @param {string} dir
 * @returns {Map<string, string> | null}
 */
function readCmakeCache(dir) {
  const path = join(dir, 'CMakeCache.txt');
  if (!existsSync(path)) return null;
  const values = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([A-Za-z0-9_.-]+):[A-Z]+=(.*)$/.exec(line);
    if (match) values.set(match[1], match[2]);
  }
  return values;
}

/**
 * Decides whether the existing build tree can be reused. ggml derives option defaults (AVX, AVX2...)
 * from GGML_NATIVE at the first configure and caches them, so a flavour change needs a fresh tree.
 * @param {string} sourcePath
 * @param {boolean} portable
 * @returns {string | null} why the tree must be wiped, or null to reuse it
 */
function staleBuildTreeReason(sourcePath, portable) {
  const cache = readCmakeCache(buildDir);
  if (cache === null) return null;
  const home = cache.get('CMAKE_HOME_DIRECTORY');
  if (home && (!existsSync(home) || realpathSync(home) !== realpathSync(sourcePath))) return `it was configured for ${home}`;
  const native = cache.get('GGML_NATIVE');
  if (native !== undefined && (native === 'OFF') !== portable) return `it was configured with GGML_NATIVE=${native}`;
  return null;
}

/**
 * Asks CMake's file API for the codemodel and toolchains replies (written at configure time).
 */
async function writeFileApiQueries() {
  const queryDir = join(buildDir, '.cmake', 'api', 'v1', 'query');
  await mkdir(queryDir, { recursive: true });
  await writeFile(join(queryDir, 'codemodel-v2'), '');
  await writeFile(join(queryDir, 'toolchains-v1'), '');
}

/**
 * Where CMake put the target's library and which compiler it used, from the file API replies.
 * chatllm.cpp sets LIBRARY_OUTPUT_DIRECTORY "../bindings" for libchatllm, so the path depends on the
 * build directory; asking CMake beats guessing.
 * @returns {Promise<{ artifactPath: string | null, compiler: string | null }>}
 */
async function readFileApiReplies() {
  const replyDir = join(buildDir, '.cmake', 'api', 'v1', 'reply');
  let artifactPath = null;
  let compiler = null;
  try {
    const indexName = (await readdir(replyDir))
      .filter((name) => name.startsWith('index-'))
      .sort()
      .at(-1);
    if (!indexName) return { artifactPath, compiler };
    const index = JSON.parse(await readFile(join(replyDir, indexName), 'utf8'));
    const objects = /** @type {{ kind: string, jsonFile: string }[]} */ (index.objects ?? []);
    const codemodelRef = objects.find((object) => object.kind === 'codemodel');
    if (codemodelRef) {
      const codemodel = JSON.parse(await readFile(join(replyDir, codemodelRef.jsonFile), 'utf8'));
      for (const configuration of codemodel.configurations ?? []) {
        const target = (configuration.targets ?? []).find((/** @type {{ name: string }} */ t) => t.name === TARGET);
        if (!target) continue;
        const detail = JSON.parse(await readFile(join(replyDir, target.jsonFile), 'utf8'));
        const artifact = detail.artifacts?.[0]?.path;
        if (artifact) artifactPath = resolve(buildDir, artifact);
        break;
      }
    }
    const toolchainsRef = objects.find((object) => object.kind === 'toolchains');
    if (toolchainsRef) {
      const toolchains = JSON.parse(await readFile(join(replyDir, toolchainsRef.jsonFile), 'utf8'));
      const cxx = (toolchains.toolchains ?? []).find((/** @type {{ language: string }} */ t) => t.language === 'CXX');
      if (cxx?.compiler) compiler = [cxx.compiler.id, cxx.compiler.version, cxx.compiler.path].filter(Boolean).join(' ');
    }
  } catch {
    // an older CMake without the file API: fall back to the known locations below
  }
  return { artifactPath, compiler };
}

/**
 * The shared libraries `libraryPath` loads from inside the build tree (the ggml libraries), as
 * the dynamic loader resolves them through the build-tree RUNPATH.
 * @param {string} libraryPath
 * @returns {Promise<{ soname: string, path: string }[]>}
 */
async function buildTreeDependencies(libraryPath) {
  const output = await capture('ldd', [libraryPath], { env: { ...process.env, LD_LIBRARY_PATH: '' } });
  const tree = realpathSync(buildDir) + sep;
  /** @type {{ soname: string, path: string }[]} */
  const found = [];
  for (const line of output.split('\n')) {
    const match = /^\s*(\S+)\s+=>\s+(\S+)\s+\(/.exec(line);
    if (match?.[1] && match[2] && existsSync(match[2]) && realpathSync(match[2]).startsWith(tree)) {
      found.push({ soname: match[1], path: match[2] });
    }
    if (/not found/.test(line)) {
      throw new BuildError(
        `${libraryPath} has an unresolved dependency: ${line.trim()} (rerun the build; report it if it persists)`,
        EXIT_BUILD_FAILED,
      );
    }
  }
  return found;
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const DT_NULL = 0n;
const DT_STRTAB = 5n;
const DT_RPATH = 15n;
const DT_RUNPATH = 29n;

/**
 * Rewrites a 64-bit little-endian ELF file's DT_RUNPATH (or DT_RPATH) string in place, as chrpath
 * does: the new value must not be longer than the old one, the rest is padded with NULs. Needs no
 * patchelf. Returns the previous value, or null when the file has no run path to rewrite.
 * @param {string} path
 * @param {string} runpath
 * @returns {string | null}
 */
export function setRunpathInPlace(path, runpath) {
  const elf = readFileSync(path);
  const isElf64Le = elf.length > 64 && elf.readUInt32BE(0) === 0x7f454c46 && elf[4] === 2 && elf[5] === 1;
  if (!isElf64Le) throw new Error(`${path} is not a 64-bit little-endian ELF file`);
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  /** @type {{ type: number, offset: number, vaddr: number, filesz: number }[]} */
  const segments = [];
  for (let i = 0; i < phnum; i += 1) {
    const at = phoff + i * phentsize;
    segments.push({
      type: elf.readUInt32LE(at),
      offset: Number(elf.readBigUInt64LE(at + 8)),
      vaddr: Number(elf.readBigUInt64LE(at + 16)),
      filesz: Number(elf.readBigUInt64LE(at + 32)),
    });
  }
  const dynamic = segments.find((segment) => segment.type === PT_DYNAMIC);
  if (!dynamic) return null;
  let strtabVaddr = null;
  let runpathOffset = null;
  for (let at = dynamic.offset; at + 16 <= dynamic.offset + dynamic.filesz; at += 16) {
    const tag = elf.readBigInt64LE(at);
    if (tag === DT_NULL) break;
    const value = Number(elf.readBigUInt64LE(at + 8));
    if (tag === DT_STRTAB) strtabVaddr = value;
    // DT_RUNPATH wins over DT_RPATH when a file has both, as in the dynamic loader.
    if (tag === DT_RUNPATH || (tag === DT_RPATH && runpathOffset === null)) runpathOffset = value;
  }
  if (strtabVaddr === null || runpathOffset === null) return null;
  const load = segments.find((s) => s.type === PT_LOAD && s.vaddr <= strtabVaddr && strtabVaddr < s.vaddr + s.filesz);
  if (!load) throw new Error(`${path}: the dynamic string table is outside every loaded segment`);
  const start = strtabVaddr - load.vaddr + load.offset + runpathOffset;
  const end = elf.indexOf(0, start);
  const previous = elf.toString('latin1', start, end);
  if (Buffer.byteLength(runpath) > end - start) {
    throw new Error(`${path}: run path "${previous}" is shorter than "${runpath}"; rewriting it needs patchelf`);
  }
  elf.fill(0, start, end);
  elf.write(runpath, start, 'latin1');
  writeFileSync(path, elf);
  return previous;
}

/** @param {string} path */
async function sha256Of(path) {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/**
 * Copies the built library and its ggml libraries into a fresh native/build/lib, each with RUNPATH
 * $ORIGIN so the directory is self-contained (a CI cache restores it without the build tree).
 * @param {string} builtLibrary
 * @returns {Promise<{ name: string, sizeBytes: number, sha256: string }[]>}
 */
async function installLibraries(builtLibrary) {
  const dependencies = await buildTreeDependencies(builtLibrary);
  const staging = `${libDir}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const entries = [{ soname: 'libchatllm.so', path: builtLibrary }, ...dependencies];
  for (const { soname, path } of entries) {
    const target = join(staging, soname);
    await copyFile(path, target);
    try {
      setRunpathInPlace(target, '$ORIGIN');
    } catch (error) {
      if (!onPath('patchelf', process.env))
        throw new BuildError(`${error instanceof Error ? error.message : String(error)} (apt-get install patchelf)`, EXIT_ENVIRONMENT);
      await capture('patchelf', ['--set-rpath', '$ORIGIN', target]);
    }
  }
  await rm(libDir, { recursive: true, force: true });
  await rename(staging, libDir);

  const installed = join(libDir, 'libchatllm.so');
  const check = await capture('ldd', [installed], { env: { ...process.env, LD_LIBRARY_PATH: '' } });
  for (const { soname } of dependencies) {
    const line = check.split('\n').find((l) => l.trim().startsWith(`${soname} `));
    if (!line?.includes(join(libDir, soname))) {
      throw new BuildError(`${installed} does not load ${soname} from ${libDir}: ${line?.trim() ?? 'missing from ldd'}`, EXIT_BUILD_FAILED);
    }
  }
  return Promise.all(
    entries.map(async ({ soname }) => {
      const path = join(libDir, soname);
      return { name: soname, sizeBytes: (await stat(path)).size, sha256: await sha256Of(path) };
    }),
  );
}

/**
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
function parseOptions(args, env) {
  /** @type {string[]} */
  const patches = [];
  let out = defaultOutDir;
  const rest = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = /** @type {string} */ (args[i]);
    if (arg === '--patch' || arg === '--out') {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new BuildError(`${arg} needs a path (e.g. ${arg} ${arg === '--patch' ? 'fix.diff' : '/tmp/build-head'})`, EXIT_USAGE);
      if (arg === '--patch') patches.push(value);
      else out = resolve(value);
      i += 1;
    } else {
      rest.push(arg);
    }
  }
  const unknown = rest.filter((arg) => arg !== '--portable' && arg !== '--no-patches');
  if (unknown.length > 0)
    throw new BuildError(
      `unknown argument ${unknown[0]} (usage: node scripts/native-build.js [--portable] [--patch FILE]... [--no-patches] [--out DIR])`,
      EXIT_USAGE,
    );
  const noPatches = rest.includes('--no-patches');
  if (noPatches && patches.length > 0) throw new BuildError('--no-patches and --patch contradict each other (give one)', EXIT_USAGE);
  const portable = rest.includes('--portable') || ['1', 'true', 'yes'].includes((env.LEAKGATE_PORTABLE ?? '').toLowerCase());
  const rawThreads = env.BUILD_THREADS?.trim();
  const threads = rawThreads ? Number(rawThreads) : availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new BuildError(`BUILD_THREADS=${rawThreads} is not a whole number >= 1 (e.g. BUILD_THREADS=2)`, EXIT_USAGE);
  }
  return { portable, threads, patches, noPatches, out };
}

/**
 * Configures, builds and installs libchatllm. Resolves to the BUILD_INFO record it writes.
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
export async function nativeBuild(args, env) {
  const { portable, threads, patches: patchArgs, noPatches, out } = parseOptions(args, env);
  buildDir = join(out, 'cmake');
  libDir = join(out, 'lib');
  const source = resolveChatllmSource(env);
  const patches = await resolvePatches(patchArgs, noPatches);
  checkToolchain(env);

  const commit = (await gitHead(source.path)) ?? env.CHATLLM_COMMIT ?? null;
  const pinned = await pinnedCommit();
  if (source.origin === 'submodule' && commit && pinned && commit !== pinned) {
    console.warn(
      `native:build: warning: native/chatllm.cpp is at ${commit} but the pin is ${pinned} (git submodule update native/chatllm.cpp)`,
    );
  }

  const buildSource = patches.length > 0 ? await applyPatches(source.path, patches, out) : source.path;
  const stale = staleBuildTreeReason(buildSource, portable);
  if (stale) {
    console.log(`native:build: starting a fresh build tree (${relative(repoRoot, buildDir)}: ${stale})`);
    await rm(buildDir, { recursive: true, force: true });
  }
  await writeFileApiQueries();

  const cmakeArgs = [`-DCMAKE_BUILD_TYPE=Release`, `-DGGML_NATIVE=${portable ? 'OFF' : 'ON'}`];
  const startedMs = performance.now();
  await runShown('cmake', ['-S', buildSource, '-B', buildDir, ...cmakeArgs]);
  await runShown('cmake', ['--build', buildDir, '--target', TARGET, '-j', String(threads)]);
  const buildSeconds = Math.round((performance.now() - startedMs) / 100) / 10;

  const { artifactPath, compiler } = await readFileApiReplies();
  const candidates = [artifactPath, join(buildDir, '..', 'bindings', 'libchatllm.so'), join(buildSource, 'bindings', 'libchatllm.so')];
  const builtLibrary = candidates.find((path) => path !== null && existsSync(path));
  if (!builtLibrary) {
    throw new BuildError(
      `the build finished but libchatllm.so is not where CMake said (${artifactPath ?? 'no file-API reply'})`,
      EXIT_BUILD_FAILED,
    );
  }
  const files = await installLibraries(builtLibrary);

  const cmakeVersion = (await capture('cmake', ['--version'])).split('\n')[0]?.replace(/^cmake version /, '') ?? null;
  const info = {
    source: source.path,
    sourceOrigin: source.origin,
    commit,
    pinnedCommit: pinned,
    // The patch set applied to the source, in order ([] = upstream as is).
    patches: patches.map(({ name, sha256 }) => ({ name, sha256 })),
    portable,
    cmakeArgs,
    buildThreads: threads,
    buildSeconds,
    builtAt: new Date().toISOString(),
    compiler,
    cmakeVersion,
    platform: `${process.platform}-${process.arch}`,
    files,
  };
  await writeFile(join(libDir, 'BUILD_INFO.json'), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  try {
    const info = await nativeBuild(args, process.env);
    const library = info.files.find((file) => file.name === 'libchatllm.so');
    console.log(
      `native:build: built ${relative(process.cwd(), join(libDir, 'libchatllm.so')) || 'libchatllm.so'} ` +
        `(${((library?.sizeBytes ?? 0) / 1024 ** 2).toFixed(1)} MiB, ${info.portable ? 'portable' : 'native'}, ` +
        `commit ${info.commit ?? 'unknown'}, ` +
        `${info.patches.length === 0 ? 'no patches' : `patches ${info.patches.map((p) => p.name).join(', ')}`}) in ` +
        `${info.buildSeconds} s; ggml: ${info.files
          .filter((f) => f !== library)
          .map((f) => f.name)
          .join(', ')}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof BuildError) {
      console.error(`native:build: ${error.message}`);
      return error.exitCode;
    }
    const err = /** @type {NodeJS.ErrnoException} */ (error);
    if (err.code === 'ENOENT' && err.syscall?.startsWith('spawn')) {
      console.error(`native:build: ${err.path ?? 'a build tool'} not found on PATH (apt-get install cmake g++)`);
      return EXIT_ENVIRONMENT;
    }
    console.error(`native:build: ${err.stack ?? String(error)}`);
    return EXIT_BUILD_FAILED;
  }
}

/** True when this file is the entry point, not imported. */
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
