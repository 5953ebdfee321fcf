import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setRunpathInPlace } from '../../../scripts/native-build.js';
import { REPO_ROOT } from './readWorkflow.js';

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
  const runpathOf = (path: string): string => /\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*)\]/.exec(execFileSync('readelf', ['-d', path], { encoding: 'utf8' }))?.[1] ?? '';

  it('turns a build-tree RUNPATH into $ORIGIN, so a copied library finds its neighbour, and nothing else changes', () => {
    // libouter.so needs libinner.so.1, found through the build tree's RUNPATH, as libchatllm finds ggml.
    const tree = directory('build-tree-with-a-long-name');
    writeFileSync(join(tree, 'inner.c'), 'int inner(void) { return 42; }\n');
    writeFileSync(join(tree, 'outer.c'), 'int inner(void);\nint outer(void) { return inner() + 1; }\n');
    cc(['-shared', '-fPIC', '-Wl,-soname,libinner.so.1', '-o', join(tree, 'libinner.so.1'), join(tree, 'inner.c')]);
    cc(['-shared', '-fPIC', '-Wl,--enable-new-dtags', `-Wl,-rpath,${tree}`, '-o', join(tree, 'libouter.so'), join(tree, 'outer.c'), join(tree, 'libinner.so.1')]);
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
