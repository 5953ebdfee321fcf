/**
 * std:: templates emitted out of line into an engine library (std::vector<T>::_M_realloc_insert in
 * libchatllm): the allocation ledger walks through them to the engine function that called them, so
 * the site is named by that function, never by std::__new_allocator::allocate. A C engine cannot hold
 * std:: code: a small C++ library stands in, driven by a C program with the ledger preloaded (native
 * code never runs in the test runner). Needs a C++ compiler, skipped without one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickSiteFrame } from '../../src/host/symbolizeEngineSites.js';
import { symbolizeNativeLines } from '../../src/host/symbolizeNativeStack.js';
import { buildLedger } from '../../src/refmodel/buildRefEngine.js';
import { scratchDir } from '../support/scratchDir.js';

const hasCxx = spawnSync('c++', ['--version']).status === 0;
const scratch = scratchDir('leakgate-std-templates-');
afterAll(scratch.cleanup);

// -O2 keeps push_back's growth path out of line (a weak std::vector<long>::_M_realloc_insert in this library).
const ENGINE = `#include <vector>
#include <string>
#include <map>
static std::vector<long> *numbers;
static std::map<int, std::string> *names;
extern "C" __attribute__((noinline)) void engine_fill_vector(int n) {
  numbers = new std::vector<long>();
  for (int i = 0; i < n; i++) numbers->push_back(i);
}
extern "C" __attribute__((noinline)) void engine_fill_map(int n) {
  names = new std::map<int, std::string>();
  for (int i = 0; i < n; i++) (*names)[i] = std::string(40, 'x');
}
`;

// C++ and linked with -rdynamic, the driver exports its own std::vector<long> growth: the dynamic linker
// binds the engine's call to the program's copy (as node's copies of std:: templates take libchatllm's).
const PROGRAM_FILL = `static std::vector<long> *program_numbers;
extern "C" __attribute__((noinline)) void program_fill_vector(int n) {
  program_numbers = new std::vector<long>();
  for (int i = 0; i < n; i++) program_numbers->push_back(i);
}`;
const DRIVER = `#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <vector>
${PROGRAM_FILL}
struct site { uint64_t address, module_offset; const char *module; int64_t live_bytes, live_blocks; };
int main(int argc, char **argv) {
  void *engine = dlopen(argv[1], RTLD_NOW);
  int (*arm)(const char *const *, int) = (int (*)(const char *const *, int))dlsym(RTLD_DEFAULT, "leakgate_ledger_arm");
  int (*sites)(struct site *, int) = (int (*)(struct site *, int))dlsym(RTLD_DEFAULT, "leakgate_ledger_sites");
  if (!engine || !arm || !sites) return 2;
  const char *names[] = { "libstdengine" };
  if (arm(names, 1) <= 0) return 3;
  ((void (*)(int))dlsym(engine, "engine_fill_vector"))(1000);
  ((void (*)(int))dlsym(engine, "engine_fill_map"))(100);
  program_fill_vector(500);
  struct site out[64];
  int n = sites(out, 64);
  for (int i = 0; i < n; i++)
    printf("%s 0x%llx %lld %lld\\n", out[i].module, (unsigned long long)out[i].module_offset,
           (long long)out[i].live_bytes, (long long)out[i].live_blocks);
  return 0;
}
`;

interface Site {
  function: string | null;
  liveBytes: number;
  liveBlocks: number;
}
let sites: Site[] = [];

beforeAll(async () => {
  if (!hasCxx) return;
  const engine = scratch.file('libstdengine.so', '');
  execFileSync('c++', ['-O2', '-g', '-shared', '-fPIC', '-o', engine, scratch.file('engine.cpp', ENGINE)]);
  const driver = scratch.file('driver', '');
  execFileSync('c++', ['-O2', '-rdynamic', '-o', driver, scratch.file('driver.cpp', DRIVER), '-ldl']);
  const { libraryPath } = await buildLedger();
  const output = execFileSync(driver, [engine], { env: { ...process.env, LD_PRELOAD: libraryPath }, encoding: 'utf8' });
  const rows = output
    .trim()
    .split('\n')
    .map((line) => line.split(' '));
  // A return address points after its call: the call is one byte earlier (as EngineSiteNames does).
  const frames = symbolizeNativeLines(rows.map(([module, offset]) => `${module} 0x${(BigInt(offset!) - 1n).toString(16)} -`));
  sites = rows.map((row, i) => ({
    function: pickSiteFrame(frames[i]!)?.function ?? null,
    liveBytes: Number(row[2]),
    liveBlocks: Number(row[3]),
  }));
}, 60_000);

describe.skipIf(!hasCxx)('the ledger walks through std:: templates emitted into the engine', () => {
  // push_back's growth is bound to the program's copy of the template.
  it('the vector grown by push_back is counted at engine_fill_vector: its 8 KiB buffer and the vector itself', () => {
    const vector = sites.filter((site) => site.function === 'engine_fill_vector');
    expect(vector.reduce((sum, site) => sum + site.liveBytes, 0)).toBe(1024 * 8 + 24);
  });

  it("the map's nodes (built in std::_Rb_tree, emitted out of line) and its strings are counted at engine_fill_map", () => {
    const map = sites.filter((site) => site.function === 'engine_fill_map');
    // 1 map + 100 nodes + 100 strings of 40 characters (out of the small-string buffer).
    expect(map.reduce((sum, site) => sum + site.liveBlocks, 0)).toBe(201);
  });

  it("the program's own vector, grown by the same code, is not the engine's: not counted", () => {
    expect(sites.reduce((sum, site) => sum + site.liveBytes, 0)).toBe(
      sites.filter((site) => site.function?.startsWith('engine_fill_')).reduce((sum, site) => sum + site.liveBytes, 0),
    );
  });

  it('no live site is named by a std:: function', () => {
    expect(sites.length).toBeGreaterThan(0);
    expect(sites.filter((site) => site.function === null || /^(void )?(std|__gnu_cxx)::/.test(site.function))).toEqual([]);
  });
});
