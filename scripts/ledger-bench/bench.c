/* The ledger's cost per malloc/free pair, and a check of its counts (scripts/ledger-bench.sh). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void eng_pairs(long n, size_t size);
void eng_new_pairs(long n);
void eng_leak(long n, size_t size);
void eng_keep_strings(long n, size_t length);
void eng_drop_strings(void);
void *eng_map(size_t bytes);
int eng_unmap(void *p, size_t bytes);

struct snapshot { uint64_t heap_bytes, heap_blocks, mmap_bytes, mmap_regions, engine_calls, unwinds, table_failures, engine_modules, mmap_threshold_bytes, fast_walks; };

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void host_pairs(long n, size_t size)
{
    for (long i = 0; i < n; i++) {
        void *volatile p = malloc(size);
        free(p);
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 5000000;
    int (*arm)(const char *const *, int) = (int (*)(const char *const *, int))dlsym(RTLD_DEFAULT, "leakgate_ledger_arm");
    void (*snap)(struct snapshot *) = (void (*)(struct snapshot *))dlsym(RTLD_DEFAULT, "leakgate_ledger_snapshot");
    if (arm) {
        const char *names[] = { "libbenchengine" };
        printf("armed: %d executable segments\n", arm(names, 1));
    }
    printf("ledger: %s\n", arm ? "preloaded" : "absent");
    eng_pairs(100000, 64); /* warm */
    host_pairs(100000, 64);
    double t0 = now_ns();
    host_pairs(n, 64);
    double t1 = now_ns();
    eng_pairs(n, 64);
    double t2 = now_ns();
    eng_new_pairs(n);
    double t3 = now_ns();
    printf("ns per malloc/free pair, caller not engine: %.1f\n", (t1 - t0) / n);
    printf("ns per malloc/free pair, caller engine:     %.1f\n", (t2 - t1) / n);
    printf("ns per new[]/delete[] pair, caller engine:  %.1f\n", (t3 - t2) / n);
    /* std::string growth: the allocations come from inside libstdc++, the engine is found up the stack. */
    eng_keep_strings(10000, 100);
    eng_drop_strings();
    double s0 = now_ns();
    eng_keep_strings(10000, 100);
    double s1 = now_ns();
    eng_drop_strings();
    printf("ns per std::string of 100 chars grown by push_back (4 allocations): %.0f\n", (s1 - s0) / 10000);
    if (!snap) return 0;
    struct snapshot a, b, c, d, e;
    snap(&a);
    eng_leak(100, 32);
    snap(&b);
    eng_keep_strings(10000, 100);
    snap(&c);
    eng_drop_strings();
    void *m = eng_map(3 * 4096 + 5);
    snap(&d);
    eng_unmap((char *)m + 4096, 4096); /* a hole in the middle */
    snap(&e);
    int bad = 0;
    printf("leak 100 x 32 B: +%lld B, +%lld blocks\n", (long long)(b.heap_bytes - a.heap_bytes), (long long)(b.heap_blocks - a.heap_blocks));
    bad |= b.heap_bytes - a.heap_bytes != 3200 || b.heap_blocks - a.heap_blocks != 100;
    printf("10000 std::strings of 100 chars (grown inside libstdc++) + vector: +%lld B, +%lld blocks; %llu unwinds, %llu fast walks in all\n",
           (long long)(c.heap_bytes - b.heap_bytes), (long long)(c.heap_blocks - b.heap_blocks), (unsigned long long)c.unwinds,
           (unsigned long long)c.fast_walks);
    bad |= c.heap_blocks - b.heap_blocks != 10002; /* the strings, the vector and its buffer */
    printf("after dropping them: %+lld B vs before\n", (long long)(d.heap_bytes - b.heap_bytes));
    bad |= d.heap_bytes != b.heap_bytes;
    printf("mmap 12293 B: %llu B in %llu regions; after a 4096 B hole: %llu B in %llu regions\n",
           (unsigned long long)d.mmap_bytes, (unsigned long long)d.mmap_regions, (unsigned long long)e.mmap_bytes, (unsigned long long)e.mmap_regions);
    bad |= d.mmap_bytes != 3 * 4096 + 5 || e.mmap_regions != 2;
    printf("pinned mmap threshold: %llu B; counts %s\n", (unsigned long long)e.mmap_threshold_bytes, bad ? "WRONG" : "exact");
    return bad;
}
