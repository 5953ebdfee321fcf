/**
 * The allocation ledger's edges, driven by a C program with the ledger preloaded (native code never runs
 * in the test runner): a full region table is counted as a table failure, never as a silent gap; a
 * munmap that would split a region in a full table keeps the engine's mmap bytes equal to what its
 * regions hold (the pages are never subtracted twice); pvalloc of a size whose page rounding wraps fails
 * with ENOMEM, as glibc's does.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLedger } from '../../src/refmodel/buildRefEngine.js';
import { scratchDir } from '../support/scratchDir.js';

const scratch = scratchDir('leakgate-ledger-tables-');
afterAll(scratch.cleanup);

/** native/ledger/ledger.c's MAX_MMAP_REGIONS: the driver fills the region table to exactly this. */
const MAX_MMAP_REGIONS = 4096;
const PAGE_BYTES = 4096;

const ENGINE = `#include <stddef.h>
#include <sys/mman.h>
void *engine_map(size_t bytes) { return mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }
int engine_unmap(void *p, size_t bytes) { return munmap(p, bytes); }
`;

const DRIVER = `#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
struct snapshot {
  uint64_t heap_bytes, heap_blocks, mmap_bytes, mmap_regions, engine_calls, unwinds, table_failures, modules, threshold, fast;
};
static void (*snap)(struct snapshot *);
static void report(const char *step) {
  struct snapshot s;
  snap(&s);
  printf("%s %llu %llu %llu\\n", step, (unsigned long long)s.mmap_bytes, (unsigned long long)s.mmap_regions,
         (unsigned long long)s.table_failures);
}
int main(int argc, char **argv) {
  void *engine = dlopen(argv[1], RTLD_NOW);
  int (*arm)(const char *const *, int) = (int (*)(const char *const *, int))dlsym(RTLD_DEFAULT, "leakgate_ledger_arm");
  snap = (void (*)(struct snapshot *))dlsym(RTLD_DEFAULT, "leakgate_ledger_snapshot");
  if (!engine || !arm || !snap) return 2;
  const char *names[] = { "libtabengine" };
  if (arm(names, 1) <= 0) return 3;
  char *(*map)(size_t) = (char *(*)(size_t))dlsym(engine, "engine_map");
  int (*unmap)(void *, size_t) = (int (*)(void *, size_t))dlsym(engine, "engine_unmap");
  enum { REGIONS = ${MAX_MMAP_REGIONS}, PAGE = ${PAGE_BYTES} };
  static char *regions[REGIONS];
  for (int i = 0; i < REGIONS; i++) regions[i] = map(3 * PAGE);
  report("full");
  unmap(regions[0] + PAGE, PAGE); /* the middle page: splitting the region needs a slot the full table lacks */
  report("split");
  unmap(regions[0], 3 * PAGE);
  report("unmapped");
  map(PAGE);
  report("refilled");
  map(PAGE);
  report("overfull");
  volatile size_t huge = SIZE_MAX - 100;
  errno = 0;
  void *p = pvalloc(huge);
  printf("pvalloc %d %d\\n", p == NULL, errno == ENOMEM);
  return 0;
}
`;

interface Step {
  mmapBytes: number;
  mmapRegions: number;
  tableFailures: number;
}
const steps = new Map<string, Step>();
let pvalloc = { returnedNull: false, setEnomem: false };

beforeAll(async () => {
  const engine = scratch.file('libtabengine.so', '');
  // No sibling calls: engine_map's mmap must return into the engine, not jump back into the driver.
  execFileSync('cc', ['-O2', '-fno-optimize-sibling-calls', '-shared', '-fPIC', '-o', engine, scratch.file('engine.c', ENGINE)]);
  const driver = scratch.file('driver', '');
  execFileSync('cc', ['-O2', '-o', driver, scratch.file('driver.c', DRIVER), '-ldl']);
  const { libraryPath } = await buildLedger();
  const output = execFileSync(driver, [engine], { env: { ...process.env, LD_PRELOAD: libraryPath }, encoding: 'utf8' });
  for (const line of output.trim().split('\n')) {
    const [name, ...figures] = line.split(' ');
    if (name === 'pvalloc') pvalloc = { returnedNull: figures[0] === '1', setEnomem: figures[1] === '1' };
    else steps.set(name!, { mmapBytes: Number(figures[0]), mmapRegions: Number(figures[1]), tableFailures: Number(figures[2]) });
  }
}, 60_000);

describe('the allocation ledger when its region table is full', () => {
  it('holds every region up to the table size, with no failure counted', () => {
    expect(steps.get('full')).toEqual({ mmapBytes: MAX_MMAP_REGIONS * 3 * PAGE_BYTES, mmapRegions: MAX_MMAP_REGIONS, tableFailures: 0 });
  });

  it('counts a split it cannot record as a table failure', () => {
    expect(steps.get('split')!.tableFailures).toBe(1);
  });

  it('never subtracts the same pages twice: unmapping the split region leaves exactly the other regions', () => {
    expect(steps.get('unmapped')).toEqual({
      mmapBytes: (MAX_MMAP_REGIONS - 1) * 3 * PAGE_BYTES,
      mmapRegions: MAX_MMAP_REGIONS - 1,
      tableFailures: 1,
    });
  });

  it('records a region while there is room, and counts the one past the table as a failure', () => {
    expect(steps.get('refilled')).toMatchObject({ mmapBytes: (MAX_MMAP_REGIONS - 1) * 3 * PAGE_BYTES + PAGE_BYTES, tableFailures: 1 });
    expect(steps.get('overfull')).toMatchObject({ mmapBytes: steps.get('refilled')!.mmapBytes, tableFailures: 2 });
  });
});

describe('pvalloc', () => {
  it('fails with ENOMEM when rounding the size up to a page wraps', () => {
    expect(pvalloc).toEqual({ returnedNull: true, setEnomem: true });
  });
});
