/*
 * leakgate crash stacks: a signal handler the worker installs after loading the engine. When the
 * engine aborts or faults, it writes the crashing thread's native stack to stderr, one line per
 * frame ("leakgate-native-frame MODULE OFFSET SYMBOL"), then lets the signal kill the process as
 * before. The host reads the lines and symbolizes them (addr2line, c++filt) into the crash report.
 *
 * Build: cc -std=c11 -O2 -g -shared -fPIC -o libleakgate-crashstack.so crashstack.c
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
#define MAX_FRAMES 64
#define ALT_STACK_BYTES (256 * 1024)

static const int crash_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };

static void put(const char *text)
{
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t n = write(STDERR_FILENO, text, left);
        if (n <= 0) return;
        text += n;
        left -= (size_t)n;
    }
}

static void put_hex(uintptr_t value)
{
    char digits[2 + 2 * sizeof value + 1];
    size_t i = sizeof digits - 1;
    digits[i] = '\0';
    do {
        digits[--i] = "0123456789abcdef"[value & 0xf];
        value >>= 4;
    } while (value != 0);
    digits[--i] = 'x';
    digits[--i] = '0';
    put(digits + i);
}

static void on_crash(int sig, siginfo_t *info, void *context)
{
    (void)info;
    (void)context;
    void *frames[MAX_FRAMES];
    int n = backtrace(frames, MAX_FRAMES);
    put("leakgate-native-stack begin\n");
    for (int i = 0; i < n; i++) {
        Dl_info where;
        memset(&where, 0, sizeof where);
        uintptr_t pc = (uintptr_t)frames[i];
        /* A return address points after the call: step back into it (not for the interrupted pc). */
        uintptr_t lookup = i > 0 && pc > 0 ? pc - 1 : pc;
        put("leakgate-native-frame ");
        if (dladdr((void *)lookup, &where) && where.dli_fname) {
            put(where.dli_fname[0] ? where.dli_fname : "?");
            put(" ");
            put_hex(lookup - (uintptr_t)where.dli_fbase);
            put(" ");
            put(where.dli_sname ? where.dli_sname : "-");
        } else {
            put("? ");
            put_hex(lookup);
            put(" -");
        }
        put("\n");
    }
    put("leakgate-native-stack end\n");
    /* SA_RESETHAND restored the default action: re-raising ends the process with this signal. */
    raise(sig);
}

/* Installs the handler; returns 0, or -1 when a sigaction failed. Safe to call more than once. */
EXPORT int leakgate_install_crash_handler(void)
{
    static int installed;
    if (installed) return 0;
    /* backtrace() loads libgcc_s on first use: do it now, not inside a crashed malloc. */
    void *warm[2];
    backtrace(warm, 2);
    static char *alt_stack;
    if (!alt_stack) alt_stack = malloc(ALT_STACK_BYTES);
    if (alt_stack) {
        stack_t ss = { .ss_sp = alt_stack, .ss_size = ALT_STACK_BYTES, .ss_flags = 0 };
        sigaltstack(&ss, NULL);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_crash;
    action.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++) {
        if (sigaction(crash_signals[i], &action, NULL) != 0) return -1;
    }
    installed = 1;
    return 0;
}
