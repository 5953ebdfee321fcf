import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailedHunk, resolvePatches, setRunpathInPlace } from '../../scripts/native-build.js';
import { REPO_ROOT } from '../unit/workflows/readWorkflow.js';

const SCRIPT = join(REPO_ROOT, 'scripts/native-build.js');
const scratch = mkdtempSync(join(tmpdir(), 'leakgate-native-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the script as `npm run native:build` would, with exactly this environment. */
function nativeBuild(args: string[], env: NodeJS.ProcessEnv): { code: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { env, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stderr: result.stderr };
}

function directory(name: string, files: Record<string, string> = {}): string {
  const path = join(scratch, name);
  mkdirSync(path);
  for (const [file, body] of Object.entries(files)) writeFileSync(join(path, file), body, { mode: 0o755 });
  return path;
}

describe('scripts/native-build.js without a usable source or toolchain (no real build)', () => {
  it('exits 2 and prints both ways to get a source when CHATLLM_SRC has no chatllm.cpp', () => {
    const empty = directory('empty-src');
    const { code, stderr } = nativeBuild([], { PATH: process.env.PATH, CHATLLM_SRC: empty });
    expect(code).toBe(2);
    expect(stderr).toContain(`no chatllm.cpp source: CHATLLM_SRC=${empty} has no CMakeLists.txt`);
    expect(stderr).toContain('git submodule update --init native/chatllm.cpp');
    expect(stderr).toContain('CHATLLM_SRC=/path/to/chatllm.cpp npm run native:build');
  });

  it('exits 2 on an unknown flag and on a bad BUILD_THREADS', () => {
    expect(nativeBuild(['--fast'], { PATH: process.env.PATH }).code).toBe(2);
    const bad = nativeBuild([], { PATH: process.env.PATH, BUILD_THREADS: 'lots' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('BUILD_THREADS=lots is not a whole number');
  });

  it('exits 4 naming the apt-get fix when cmake is not on PATH', () => {
    const source = directory('src-for-cmake', { 'CMakeLists.txt': '' });
    const { code, stderr } = nativeBuild([], { PATH: directory('bin-empty'), CHATLLM_SRC: source });
    expect(code).toBe(4);
    expect(stderr.trim()).toBe('native:build: cmake not found on PATH (apt-get install cmake g++)');
  });

  it('exits 4 when there is cmake but no C++ compiler', () => {
    const source = directory('src-for-cxx', { 'CMakeLists.txt': '' });
    const { code, stderr } = nativeBuild([], { PATH: directory('bin-cmake-only', { cmake: '#!/bin/sh\nexit 0\n' }), CHATLLM_SRC: source });
    expect(code).toBe(4);
    expect(stderr).toContain('no C++ compiler found');
    expect(stderr).toContain('(apt-get install cmake g++)');
  });
});

describe('setRunpathInPlace', () => {
  const cc = (args: string[]): void => void execFileSync('cc', args, { stdio: 'pipe' });
  const runpathOf = (path: string): string =>
    /\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*)\]/.exec(execFileSync('readelf', ['-d', path], { encoding: 'utf8' }))?.[1] ?? '';

  it('turns a build-tree RUNPATH into $ORIGIN, so a copied library finds its neighbour, and nothing else changes', () => {
    // libouter.so needs libinner.so.1, found through the build tree's RUNPATH, as libchatllm finds ggml.
    const tree = directory('build-tree-with-a-long-name');
    writeFileSync(join(tree, 'inner.c'), 'int inner(void) { return 42; }\n');
    writeFileSync(join(tree, 'outer.c'), 'int inner(void);\nint outer(void) { return inner() + 1; }\n');
    cc(['-shared', '-fPIC', '-Wl,-soname,libinner.so.1', '-o', join(tree, 'libinner.so.1'), join(tree, 'inner.c')]);
    cc([
      '-shared',
      '-fPIC',
      '-Wl,--enable-new-dtags',
      `-Wl,-rpath,${tree}`,
      '-o',
      join(tree, 'libouter.so'),
      join(tree, 'outer.c'),
      join(tree, 'libinner.so.1'),
    ]);
    expect(runpathOf(join(tree, 'libouter.so'))).toBe(tree);

    const installed = directory('installed');
    copyFileSync(join(tree, 'libouter.so'), join(installed, 'libouter.so'));
    copyFileSync(join(tree, 'libinner.so.1'), join(installed, 'libinner.so.1'));
    rmSync(tree, { recursive: true });

    const before = readFileSync(join(installed, 'libouter.so'));
    expect(setRunpathInPlace(join(installed, 'libouter.so'), '$ORIGIN')).toBe(tree);
    const after = readFileSync(join(installed, 'libouter.so'));
    const changed = [...before.keys()].filter((i) => before[i] !== after[i]);
    expect(after.length).toBe(before.length);
    expect(changed.at(-1)! - changed[0]!).toBeLessThan(tree.length); // only the run path string
    expect(runpathOf(join(installed, 'libouter.so'))).toBe('$ORIGIN');
    const ldd = execFileSync('ldd', [join(installed, 'libouter.so')], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(ldd).toContain(`libinner.so.1 => ${join(installed, 'libinner.so.1')}`);
    // Run twice: the second call sees the value the first wrote.
    expect(setRunpathInPlace(join(installed, 'libouter.so'), '$ORIGIN')).toBe('$ORIGIN');
  });

  it('refuses a run path longer than the one in the file, and leaves the file as it was', () => {
    const dir = directory('short');
    writeFileSync(join(dir, 'a.c'), 'int a(void) { return 1; }\n');
    cc(['-shared', '-fPIC', '-Wl,--enable-new-dtags', '-Wl,-rpath,/x', '-o', join(dir, 'liba.so'), join(dir, 'a.c')]);
    expect(() => setRunpathInPlace(join(dir, 'liba.so'), '$ORIGIN')).toThrow(/needs patchelf/);
    expect(runpathOf(join(dir, 'liba.so'))).toBe('/x');
  });

  it('returns null for a library without a run path, and throws for a file that is not ELF', () => {
    const dir = directory('plain');
    writeFileSync(join(dir, 'b.c'), 'int b(void) { return 2; }\n');
    cc(['-shared', '-fPIC', '-o', join(dir, 'libb.so'), join(dir, 'b.c')]);
    expect(setRunpathInPlace(join(dir, 'libb.so'), '$ORIGIN')).toBeNull();
    writeFileSync(join(dir, 'text.so'), 'not an ELF file, just text that is long enough to read a header from'.repeat(2));
    expect(() => setRunpathInPlace(join(dir, 'text.so'), '$ORIGIN')).toThrow(/not a 64-bit little-endian ELF/);
  });
});

describe('scripts/native-build.js patch sets, on a tiny fake chatllm.cpp (fake cmake compiles lib.c with cc)', () => {
  const git = (cwd: string, args: string[]): string =>
    execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CEILING_DIRECTORIES: scratch } });
  // Configure records the source; build compiles its lib.c into OUT/bindings/libchatllm.so, where the script looks.
  const fakeCmake = [
    '#!/bin/sh',
    'case "$1" in',
    '  --version) echo "cmake version 3.99.0-fake" ;;',
    '  -S) mkdir -p "$4" && echo "$2" > "$4/fake-source" ;;',
    '  --build) mkdir -p "$2/../bindings" && cc -shared -fPIC -o "$2/../bindings/libchatllm.so" "$(cat "$2/fake-source")/lib.c" ;;',
    'esac',
    '',
  ].join('\n');
  const UPSTREAM = 'const char *engine_version = "upstream";\nint engine_answer(void) { return 1; }\n';

  let source: string;
  let bin: string;
  const patch = (name: string, change: (text: string) => string): string => {
    writeFileSync(join(source, 'lib.c'), change(UPSTREAM));
    const diff = git(source, ['diff']);
    git(source, ['checkout', '--', 'lib.c']);
    const path = join(scratch, name);
    writeFileSync(path, diff);
    return path;
  };
  const build = (args: string[], out: string) =>
    nativeBuild([...args, '--out', out], { PATH: `${bin}:${process.env.PATH}`, CHATLLM_SRC: source, HOME: scratch });

  beforeAll(() => {
    source = directory('fake-chatllm', { 'CMakeLists.txt': 'project(fake)\n', 'lib.c': UPSTREAM });
    git(source, ['init', '-q']);
    git(source, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.']);
    git(source, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'upstream']);
    bin = directory('bin-fake-cmake', { cmake: fakeCmake });
  });

  it('applies --patch files in order to a copy, records them with sha256 in BUILD_INFO.json, and leaves the checkout as it was', () => {
    const first = patch('0001-version.diff', (t) => t.replace('"upstream"', '"patched-0001"'));
    // The second patch only applies on top of the first: order matters.
    writeFileSync(join(source, 'lib.c'), UPSTREAM.replace('"upstream"', '"patched-0001"'));
    git(source, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'tmp']);
    const second = patch('0002-answer.diff', (t) => t.replace('"upstream"', '"patched-0001"').replace('return 1', 'return 42'));
    git(source, ['reset', '-q', '--hard', 'HEAD~1']);

    const out = join(scratch, 'out-patched');
    const result = build(['--patch', first, '--patch', second], out);
    expect(result.code, result.stderr).toBe(0);
    const info = JSON.parse(readFileSync(join(out, 'lib', 'BUILD_INFO.json'), 'utf8')) as { patches: { name: string; sha256: string }[] };
    const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(info.patches).toEqual([
      { name: '0001-version.diff', sha256: sha(first) },
      { name: '0002-answer.diff', sha256: sha(second) },
    ]);
    expect(readFileSync(join(out, 'lib', 'libchatllm.so')).includes('patched-0001')).toBe(true);
    expect(readFileSync(join(out, 'patched-src', 'lib.c'), 'utf8')).toContain('return 42');
    expect(readFileSync(join(source, 'lib.c'), 'utf8')).toBe(UPSTREAM);
    expect(git(source, ['status', '--porcelain'])).toBe('');
  });

  it('--no-patches builds upstream as is and records no patches', () => {
    const out = join(scratch, 'out-upstream');
    const result = build(['--no-patches'], out);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'lib', 'BUILD_INFO.json'), 'utf8')).patches).toEqual([]);
    expect(readFileSync(join(out, 'lib', 'libchatllm.so')).includes('upstream')).toBe(true);
  });

  it('a patch that no longer applies: exit 2 naming the patch and the hunk, checkout untouched, nothing installed', () => {
    // Written against a source where the function returned 7: upstream has 1.
    const stale = join(scratch, '0003-stale.diff');
    const fresh = readFileSync(
      patch('fresh.diff', (t) => t.replace('return 1', 'return 2')),
      'utf8',
    );
    writeFileSync(stale, fresh.replace('-int engine_answer(void) { return 1; }', '-int engine_answer(void) { return 7; }'));
    const out = join(scratch, 'out-stale');
    const result = build(['--patch', stale], out);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^native:build: patch 0003-stale\.diff no longer applies to .*fake-chatllm: hunk @@ -1,2 \+1,2 @@ in lib\.c \(refresh it/,
    );
    expect(git(source, ['status', '--porcelain'])).toBe('');
    expect(() => readFileSync(join(out, 'lib', 'BUILD_INFO.json'))).toThrow();
  });

  it('a --patch that does not exist: exit 2 naming it', () => {
    const result = build(['--patch', join(scratch, 'nope.diff')], join(scratch, 'out-nope'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--patch ${join(scratch, 'nope.diff')}: no such file`);
  });

  it('the default set is native/patches/*.diff in name order; other files are ignored', async () => {
    const dir = directory('patches-dir', { '0002-b.diff': 'b', '0001-a.diff': 'a', 'README.md': '#', 'notes.txt': 'x' });
    expect((await resolvePatches([], false, dir)).map((p) => p.name)).toEqual(['0001-a.diff', '0002-b.diff']);
    expect(await resolvePatches([], true, dir)).toEqual([]);
  });

  it('describeFailedHunk finds the hunk header git names by file and line', () => {
    const text =
      'diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -3,2 +3,2 @@ int f\n-a\n+b\ndiff --git a/y.c b/y.c\n--- a/y.c\n+++ b/y.c\n@@ ' +
      '-10,3 +10,4 @@ void g\n x\n';
    expect(describeFailedHunk('error: patch failed: y.c:10\nerror: y.c: patch does not apply\n', text)).toBe(
      'hunk @@ -10,3 +10,4 @@ void g in y.c',
    );
    expect(describeFailedHunk('error: patch failed: x.c:99\n', text)).toBe('hunk at x.c:99');
    expect(describeFailedHunk('error: z.c: No such file or directory\n', text)).toBe('z.c: No such file or directory');
  });
});
