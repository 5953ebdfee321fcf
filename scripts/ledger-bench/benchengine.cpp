// A stand-in engine for the ledger benchmark (scripts/ledger-bench.sh): allocations made from its code
// are the engine's once the ledger is armed with "libbenchengine".
#include <cstdlib>
#include <string>
#include <vector>
#include <sys/mman.h>

static std::vector<std::string> *kept;

extern "C" {
void eng_pairs(long n, size_t size)
{
    for (long i = 0; i < n; i++) {
        void *volatile p = malloc(size);
        free(p);
    }
}
void eng_new_pairs(long n)
{
    for (long i = 0; i < n; i++) {
        int *volatile p = new int[8];
        delete[] p;
    }
}
/* Leaks n blocks of `size` bytes from one site. */
void eng_leak(long n, size_t size)
{
    for (long i = 0; i < n; i++) {
        void *volatile p = malloc(size);
        (void)p;
    }
}
/* Keeps n strings of `length` characters built by std::string growth inside libstdc++. */
void eng_keep_strings(long n, size_t length)
{
    if (!kept) kept = new std::vector<std::string>();
    for (long i = 0; i < n; i++) {
        std::string s;
        for (size_t c = 0; c < length; c++) s.push_back('a' + (char)(c % 26));
        kept->push_back(std::move(s));
    }
}
void eng_drop_strings(void)
{
    delete kept;
    kept = nullptr;
}
// Not tail calls: a tail call's return address is the caller's (the ledger would see the host).
void *eng_map(size_t bytes)
{
    void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    __asm__ volatile("" ::: "memory");
    return p;
}
int eng_unmap(void *p, size_t bytes)
{
    int rc = munmap(p, bytes);
    __asm__ volatile("" ::: "memory");
    return rc;
}
}
