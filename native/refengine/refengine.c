/*
 * leakgate reference engine: a stand-in for chatllm.cpp's libchatllm.
 *
 * It exports the libchatllm C ABI (bindings/libchatllm.h) and behaves as the harness sees the
 * real engine (synchronous callbacks, argv-style params, "language X<asr_text>" transcripts,
 * f_end called twice, a segfault when destroying an object whose start failed), but its memory
 * behaviour is planted through the header of its "model file" so the leak detector can be tested
 * against known truth. The file format is defined in src/refmodel/RefModelSpec.ts; the offsets
 * below must match it.
 *
 * Build: cc -std=c11 -O2 -shared -fPIC -pthread -fvisibility=hidden -o libchatllm-ref.so refengine.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

#define PRINT_CHAT_CHUNK 0
#define PRINTLN_META 1
#define PRINTLN_ERROR 2
#define PRINTLN_MODEL_INFO 13

typedef void (*f_chatllm_print)(void *user_data, int print_type, const char *utf8_str);
typedef void (*f_chatllm_end)(void *user_data);

/* ---- model file header (little-endian; see src/refmodel/RefModelSpec.ts) ---- */

#define REF_MAGIC "LGREFMDL"
#define REF_VERSION 2u
#define OFF_VERSION 8
#define OFF_HEADER_BYTES 12
#define OFF_SIZE_BYTES 16
#define OFF_HEAP_BYTES 24
#define OFF_KV_BYTES 32
#define OFF_LEAK_PER_LOAD_BYTES 40
#define OFF_LEAK_PER_INFER_BYTES 48
#define OFF_PLATEAU_BYTES 56
#define OFF_NOISE_BYTES 64
#define OFF_PLATEAU_LOADS 72
#define OFF_TTFT_MS 76
#define OFF_CHAR_MS 80
#define OFF_FLAGS 84
#define OFF_CRASH_STEP 88
#define OFF_CRASH_ITERATION 92
#define OFF_CRASH_KIND 96
#define OFF_HANG_STEP 100
#define OFF_HANG_ITERATION 104
#define OFF_TRANSCRIPT_LEN 108
#define OFF_FRAGMENT_BYTES 112
#define OFF_FRAGMENT_PIN_BYTES 120
#define OFF_MMAP_LEAK_PER_LOAD_BYTES 124
#define OFF_TRANSCRIPT 128

#define FLAG_KEEP_MAPPING 1u
#define FLAG_KEEP_FD 2u
#define FLAG_KEEP_THREAD 4u
#define FLAG_SPLIT_MARKERS 8u
#define FLAG_THREAD_ONCE 16u
#define FLAG_LEAK_EVERY_OTHER_LOAD 32u
#define FLAG_LEAK_AS_MMAP 64u

enum step { STEP_NONE = 0, STEP_LOAD = 1, STEP_INFER = 2, STEP_UNLOAD = 3 };
/* CRASH_KILL: SIGKILL, what the kernel's OOM killer sends (no cgroup needed to plant it) */
enum crash_kind { CRASH_ABORT = 1, CRASH_SEGV = 2, CRASH_KILL = 3 };

struct ref_header {
    uint64_t size_bytes, heap_bytes, kv_bytes;
    uint64_t leak_per_load_bytes, leak_per_infer_bytes, plateau_bytes, noise_bytes, fragment_bytes;
    uint32_t fragment_pin_bytes;
    uint32_t mmap_leak_per_load_bytes;
    uint32_t plateau_loads, ttft_ms, char_ms, flags;
    uint32_t crash_step, crash_iteration, crash_kind, hang_step, hang_iteration;
    const char *transcript; /* points into the mapping */
    uint32_t transcript_len;
};

#define HEAP_CHUNK_BYTES ((size_t)1 << 20)
#define INITIAL_PARAM_CAPACITY 16

struct chatllm_obj {
    char **params;
    size_t n_params, cap_params;

    f_chatllm_print f_print;
    f_chatllm_end f_end;
    void *user_data;

    int started;      /* start succeeded */
    int start_failed; /* start returned non-zero: destroy must crash like the real engine */
    int generating;
    volatile int abort_requested;
    int gen_max_tokens;

    char language[64];
    int context_length;
    char tag_open[16], tag_close[16];

    int fd;
    void *mapping;
    size_t mapping_bytes;
    struct ref_header hdr;
    unsigned iteration; /* which load of this file (1-based) this object is */

    void **heap_chunks;
    size_t n_heap_chunks;
    void **fragment_chunks;
    size_t n_fragment_chunks;
    void *kv_cache;
    unsigned turns;
};

/* ---- process-wide state: load counts per file, plateau pool, noise buffer ---- */

struct load_count {
    char *path;
    unsigned loads;
};

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static struct load_count *g_load_counts;
static size_t g_n_load_counts;
/* Kept reachable on purpose: the plateau is "retained", not "lost". */
static void **g_plateau_pool;
static size_t g_n_plateau_pool;
static void *g_noise_buffer;
/* Loads that stranded memory so far: each uses larger chunks than the last, so no earlier hole fits. */
static unsigned g_fragment_loads;
static pthread_once_t g_thread_once = PTHREAD_ONCE_INIT;

static unsigned next_load_iteration(const char *path)
{
    unsigned n = 0;
    pthread_mutex_lock(&g_lock);
    for (size_t i = 0; i < g_n_load_counts; i++) {
        if (strcmp(g_load_counts[i].path, path) == 0) {
            n = ++g_load_counts[i].loads;
            break;
        }
    }
    if (n == 0) {
        struct load_count *grown = realloc(g_load_counts, (g_n_load_counts + 1) * sizeof *grown);
        char *copy = strdup(path);
        if (grown && copy) {
            g_load_counts = grown;
            g_load_counts[g_n_load_counts].path = copy;
            g_load_counts[g_n_load_counts].loads = 1;
            g_n_load_counts++;
        } else {
            if (grown) g_load_counts = grown;
            free(copy);
        }
        n = 1;
    }
    pthread_mutex_unlock(&g_lock);
    return n;
}

/* ---- small helpers ---- */

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void sleep_ms(uint32_t ms)
{
    if (ms == 0) return;
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
    while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR) {
    }
}

static void hang_forever(void)
{
    for (;;) sleep(1);
}

static void crash_now(uint32_t kind)
{
    if (kind == CRASH_SEGV) raise(SIGSEGV);
    if (kind == CRASH_KILL) raise(SIGKILL);
    abort();
}

/* Allocates and dirties memory so it shows in RssAnon and in mallinfo2 heap-in-use. */
static void *alloc_dirty(size_t bytes)
{
    if (bytes == 0) return NULL;
    void *p = malloc(bytes);
    if (p) memset(p, 0xA5, bytes);
    return p;
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static void emit(struct chatllm_obj *obj, int type, const char *text)
{
    if (obj->f_print) obj->f_print(obj->user_data, type, text);
}

static void emit_end(struct chatllm_obj *obj)
{
    /* The real engine calls f_end twice per generation; the harness must cope. */
    if (obj->f_end) {
        obj->f_end(obj->user_data);
        obj->f_end(obj->user_data);
    }
}

static void emit_errorf(struct chatllm_obj *obj, const char *prefix, const char *path)
{
    size_t n = strlen(prefix) + strlen(path) + 1;
    char *line = malloc(n);
    if (!line) return;
    snprintf(line, n, "%s%s", prefix, path);
    emit(obj, PRINTLN_ERROR, line);
    free(line);
}

/* ---- exported ABI ---- */

EXPORT const char *leakgate_ref_engine_version(void)
{
    return "1";
}

EXPORT void chatllm_append_init_param(const char *utf8_str)
{
    (void)utf8_str;
}

/*
 * glibc raises its mmap threshold when a large mmapped chunk is freed, so from the second load on the
 * 1 MiB heap chunks come from the arena instead, and whether an unload gives them back depends on what
 * the host happened to allocate above them meanwhile: peak RSS then moved by 60-100 MiB between two
 * identical runs. The reference engine is the test oracle, so it pins glibc's default threshold
 * (128 KiB) when it is loaded: its chunks are mmapped and returned at every unload, run after run.
 * --fragment sets its own.
 */
#define REFENGINE_MMAP_THRESHOLD_BYTES (128 * 1024)

__attribute__((constructor)) static void pin_mmap_threshold(void)
{
    mallopt(M_MMAP_THRESHOLD, REFENGINE_MMAP_THRESHOLD_BYTES);
}

EXPORT int chatllm_init(void)
{
    return 0;
}

EXPORT struct chatllm_obj *chatllm_create(void)
{
    struct chatllm_obj *obj = calloc(1, sizeof *obj);
    if (!obj) return NULL;
    obj->fd = -1;
    obj->gen_max_tokens = -1;
    return obj;
}

EXPORT void chatllm_append_param(struct chatllm_obj *obj, const char *utf8_str)
{
    if (!obj || !utf8_str) return;
    if (obj->n_params == obj->cap_params) {
        size_t cap = obj->cap_params ? obj->cap_params * 2 : INITIAL_PARAM_CAPACITY;
        char **grown = realloc(obj->params, cap * sizeof *grown);
        if (!grown) return;
        obj->params = grown;
        obj->cap_params = cap;
    }
    char *copy = strdup(utf8_str);
    if (copy) obj->params[obj->n_params++] = copy;
}

struct option_spec {
    const char *short_name, *long_name;
    int n_values;
};

/* The options the harness passes; anything else starting with '-' is "unknown". */
static const struct option_spec known_options[] = {
    { "-m", "--model", 1 },
    { "-n", "--threads", 1 },
    { "-c", "--max_length", 1 },
    { NULL, "--format", 1 },
    { NULL, "--set", 2 },
    { NULL, "--multimedia_file_tags", 2 },
    { NULL, "--max_new_tokens", 1 },
};

static const struct option_spec *find_option(const char *token)
{
    for (size_t i = 0; i < sizeof known_options / sizeof known_options[0]; i++) {
        const struct option_spec *o = &known_options[i];
        if ((o->short_name && strcmp(token, o->short_name) == 0) || strcmp(token, o->long_name) == 0) return o;
    }
    return NULL;
}

static void copy_bounded(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

/*
 * Returns 0 when every param is understood, else the index the real engine returns: its params
 * start with a placeholder argv[0], so it is the 0-based position in the appended list plus one.
 */
static int parse_params(struct chatllm_obj *obj, const char **model_path)
{
    *model_path = NULL;
    copy_bounded(obj->language, sizeof obj->language, "Chinese");
    copy_bounded(obj->tag_open, sizeof obj->tag_open, "{{");
    copy_bounded(obj->tag_close, sizeof obj->tag_close, "}}");
    obj->context_length = 4096;

    for (size_t i = 0; i < obj->n_params; i++) {
        const char *token = obj->params[i];
        if (token[0] != '-') continue;
        const struct option_spec *o = find_option(token);
        if (!o || i + (size_t)o->n_values >= obj->n_params) return (int)i + 1;
        const char *v1 = obj->params[i + 1];
        const char *v2 = o->n_values > 1 ? obj->params[i + 2] : NULL;
        if (strcmp(o->long_name, "--model") == 0) {
            *model_path = v1;
        } else if (strcmp(o->long_name, "--max_length") == 0) {
            int n = atoi(v1);
            if (n > 0) obj->context_length = n;
        } else if (strcmp(o->long_name, "--max_new_tokens") == 0) {
            obj->gen_max_tokens = atoi(v1);
        } else if (strcmp(o->long_name, "--set") == 0) {
            if (strcmp(v1, "language") == 0) copy_bounded(obj->language, sizeof obj->language, v2);
        } else if (strcmp(o->long_name, "--multimedia_file_tags") == 0) {
            copy_bounded(obj->tag_open, sizeof obj->tag_open, v1);
            copy_bounded(obj->tag_close, sizeof obj->tag_close, v2);
        }
        i += (size_t)o->n_values;
    }
    return 0;
}

static int parse_header(const unsigned char *p, size_t file_bytes, struct ref_header *h)
{
    if (file_bytes < OFF_TRANSCRIPT || memcmp(p, REF_MAGIC, 8) != 0) return -1;
    if (rd32(p + OFF_VERSION) != REF_VERSION) return -1;
    uint32_t header_bytes = rd32(p + OFF_HEADER_BYTES);
    h->size_bytes = rd64(p + OFF_SIZE_BYTES);
    h->transcript_len = rd32(p + OFF_TRANSCRIPT_LEN);
    if (h->size_bytes != file_bytes) return -1; /* truncated or padded by someone else */
    if ((uint64_t)OFF_TRANSCRIPT + h->transcript_len != header_bytes || header_bytes > file_bytes) return -1;
    h->heap_bytes = rd64(p + OFF_HEAP_BYTES);
    h->kv_bytes = rd64(p + OFF_KV_BYTES);
    h->leak_per_load_bytes = rd64(p + OFF_LEAK_PER_LOAD_BYTES);
    h->leak_per_infer_bytes = rd64(p + OFF_LEAK_PER_INFER_BYTES);
    h->plateau_bytes = rd64(p + OFF_PLATEAU_BYTES);
    h->noise_bytes = rd64(p + OFF_NOISE_BYTES);
    h->fragment_bytes = rd64(p + OFF_FRAGMENT_BYTES);
    h->fragment_pin_bytes = rd32(p + OFF_FRAGMENT_PIN_BYTES);
    h->mmap_leak_per_load_bytes = rd32(p + OFF_MMAP_LEAK_PER_LOAD_BYTES);
    h->plateau_loads = rd32(p + OFF_PLATEAU_LOADS);
    h->ttft_ms = rd32(p + OFF_TTFT_MS);
    h->char_ms = rd32(p + OFF_CHAR_MS);
    h->flags = rd32(p + OFF_FLAGS);
    h->crash_step = rd32(p + OFF_CRASH_STEP);
    h->crash_iteration = rd32(p + OFF_CRASH_ITERATION);
    h->crash_kind = rd32(p + OFF_CRASH_KIND);
    h->hang_step = rd32(p + OFF_HANG_STEP);
    h->hang_iteration = rd32(p + OFF_HANG_ITERATION);
    h->transcript = (const char *)p + OFF_TRANSCRIPT;
    return 0;
}

/* Fires the planted crash or hang when this object's load iteration reaches the given step. */
static void maybe_trigger(const struct chatllm_obj *obj, enum step s)
{
    const struct ref_header *h = &obj->hdr;
    if (h->hang_step == (uint32_t)s && h->hang_iteration == obj->iteration) hang_forever();
    if (h->crash_step == (uint32_t)s && h->crash_iteration == obj->iteration) crash_now(h->crash_kind);
}

static void *sleep_forever_thread(void *arg)
{
    (void)arg;
    hang_forever();
    return NULL;
}

static void start_leaked_thread(void)
{
    pthread_attr_t attr;
    pthread_t tid;
    if (pthread_attr_init(&attr) != 0) return;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&tid, &attr, sleep_forever_thread, NULL);
    pthread_attr_destroy(&attr);
}

/*
 * Fragmentation, as chatllm.cpp shows it: large buffers freed at unload, with small blocks that stay
 * alive between them. Each load allocates fragment_bytes in 4 MiB chunks; unload shrinks each chunk in
 * place to a pin of fragment_pin_bytes (realloc frees the tail) and never frees the pin. The pins keep
 * the holes from coalescing, and each load's chunks are larger than the last one's, so no hole is
 * reused for them: RSS and RssAnon grow by about fragment_bytes per load while heap in use grows only
 * by the pins. malloc_trim(0) gives the holes' pages back, so with --trim RssAnon stays flat. A fixed
 * mmap threshold keeps the chunks in the arena (glibc would otherwise mmap chunks this large).
 *
 * When the heap cannot grow with brk (a mapping sits above it: Node's allocators place theirs at random
 * addresses, so it happens in some runs), glibc extends the main arena with mmapped regions of the
 * request plus M_TOP_PAD (128 KiB), and that slack, freed beside a hole, made the hole big enough for
 * the next load's chunk: RssAnon went flat after a few loads (2 CI runs in about 14). So the top pad
 * is 0 here (a region's slack is then under a page) and each load's chunks grow by 16 KiB, more than
 * any hole and its slack. The chunk count comes from the first load's size, so the pins per load stay
 * the same.
 */
#define FRAGMENT_CHUNK_BYTES ((size_t)4 << 20)
#define FRAGMENT_CHUNK_GROWTH_BYTES ((size_t)16 << 10)
#define FRAGMENT_MMAP_THRESHOLD_BYTES (32 << 20)
#define FRAGMENT_TOP_PAD_BYTES 0
#define FRAGMENT_MINIMUM_PIN_BYTES 16

static void strand_memory(struct chatllm_obj *obj)
{
    const struct ref_header *h = &obj->hdr;
    pthread_mutex_lock(&g_lock);
    unsigned load = g_fragment_loads++;
    pthread_mutex_unlock(&g_lock);
    mallopt(M_MMAP_THRESHOLD, FRAGMENT_MMAP_THRESHOLD_BYTES);
    mallopt(M_TOP_PAD, FRAGMENT_TOP_PAD_BYTES);
    size_t chunk = FRAGMENT_CHUNK_BYTES + (size_t)load * FRAGMENT_CHUNK_GROWTH_BYTES;
    size_t n = (size_t)((h->fragment_bytes + FRAGMENT_CHUNK_BYTES - 1) / FRAGMENT_CHUNK_BYTES);
    obj->fragment_chunks = calloc(n, sizeof *obj->fragment_chunks);
    if (!obj->fragment_chunks) return;
    for (size_t i = 0; i < n; i++) {
        obj->fragment_chunks[i] = alloc_dirty(chunk);
        obj->n_fragment_chunks = i + 1;
    }
}

static void free_fragment_chunks(struct chatllm_obj *obj)
{
    size_t pin = obj->hdr.fragment_pin_bytes > FRAGMENT_MINIMUM_PIN_BYTES ? obj->hdr.fragment_pin_bytes
                                                                           : FRAGMENT_MINIMUM_PIN_BYTES;
    for (size_t i = 0; i < obj->n_fragment_chunks; i++) {
        void *pinned = realloc(obj->fragment_chunks[i], pin);
        (void)pinned; /* kept on purpose: the small live block between two freed buffers */
    }
    free(obj->fragment_chunks);
    obj->fragment_chunks = NULL;
    obj->n_fragment_chunks = 0;
}

static void start_thread_once(void)
{
    start_leaked_thread();
}

/*
 * The planted leaks, each in a function of its own (never inlined, malloc called here) so that
 * `leakgate attribute` can name the allocation site: the first engine frame is this function.
 * Their fill bytes differ so the compiler cannot fold the two into one.
 */
static void *volatile g_leak_sink; /* keeps the compiler from dropping the unused allocation */

static __attribute__((noinline)) void refengine_leak_per_load(size_t bytes)
{
    void *leaked = malloc(bytes);
    if (leaked) memset(leaked, 0xA5, bytes);
    g_leak_sink = leaked; /* dropped on purpose at the next leak: the planted per-load leak */
}

static __attribute__((noinline)) void refengine_leak_mmap_per_load(size_t bytes)
{
    void *leaked = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (leaked != MAP_FAILED) memset(leaked, 0xC3, bytes);
    g_leak_sink = leaked; /* never unmapped: the planted anonymous-mapping leak */
}

static __attribute__((noinline)) void refengine_leak_per_infer(size_t bytes)
{
    void *leaked = malloc(bytes);
    if (leaked) memset(leaked, 0x5A, bytes);
    g_leak_sink = leaked; /* the planted per-inference leak */
}

/* Outside malloc, as an engine's own buffer pool would: heap in use never sees it, malloc_trim cannot return it. */
static __attribute__((noinline)) void refengine_mmap_leak_per_load(size_t bytes)
{
    void *leaked = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (leaked == MAP_FAILED) return;
    memset(leaked, 0xC3, bytes);
    g_leak_sink = leaked; /* never unmapped: the planted leak outside malloc */
}

static void apply_planted_load_behaviour(struct chatllm_obj *obj)
{
    const struct ref_header *h = &obj->hdr;

    if (h->leak_per_load_bytes > 0 && (!(h->flags & FLAG_LEAK_EVERY_OTHER_LOAD) || obj->iteration % 2 == 0)) {
        if (h->flags & FLAG_LEAK_AS_MMAP) refengine_leak_mmap_per_load((size_t)h->leak_per_load_bytes);
        else refengine_leak_per_load((size_t)h->leak_per_load_bytes);
    }
    if (h->mmap_leak_per_load_bytes > 0) refengine_mmap_leak_per_load((size_t)h->mmap_leak_per_load_bytes);

    if (h->plateau_bytes > 0 && obj->iteration <= h->plateau_loads) {
        void *p = alloc_dirty((size_t)h->plateau_bytes);
        pthread_mutex_lock(&g_lock);
        void **grown = realloc(g_plateau_pool, (g_n_plateau_pool + 1) * sizeof *grown);
        if (grown) {
            g_plateau_pool = grown;
            g_plateau_pool[g_n_plateau_pool++] = p;
        }
        pthread_mutex_unlock(&g_lock);
    }

    if (h->noise_bytes > 0) {
        size_t bytes = (size_t)(splitmix64(obj->iteration) % h->noise_bytes);
        pthread_mutex_lock(&g_lock);
        free(g_noise_buffer);
        g_noise_buffer = alloc_dirty(bytes);
        pthread_mutex_unlock(&g_lock);
    }

    if (h->fragment_bytes > 0) strand_memory(obj);

    if (h->flags & FLAG_KEEP_THREAD) start_leaked_thread();
    /* Like a runtime's pool started on first use: one thread for the life of the process. */
    if (h->flags & FLAG_THREAD_ONCE) pthread_once(&g_thread_once, start_thread_once);
}

static void free_heap_chunks(struct chatllm_obj *obj)
{
    for (size_t i = 0; i < obj->n_heap_chunks; i++) free(obj->heap_chunks[i]);
    free(obj->heap_chunks);
    obj->heap_chunks = NULL;
    obj->n_heap_chunks = 0;
}

static int alloc_heap_chunks(struct chatllm_obj *obj, uint64_t total_bytes)
{
    size_t n = (size_t)((total_bytes + HEAP_CHUNK_BYTES - 1) / HEAP_CHUNK_BYTES);
    if (n == 0) return 0;
    obj->heap_chunks = calloc(n, sizeof *obj->heap_chunks);
    if (!obj->heap_chunks) return -1;
    uint64_t left = total_bytes;
    for (size_t i = 0; i < n; i++) {
        size_t bytes = left < HEAP_CHUNK_BYTES ? (size_t)left : HEAP_CHUNK_BYTES;
        obj->heap_chunks[i] = alloc_dirty(bytes);
        if (!obj->heap_chunks[i]) return -1;
        obj->n_heap_chunks = i + 1;
        left -= bytes;
    }
    return 0;
}

static int fail_start(struct chatllm_obj *obj, int code)
{
    obj->start_failed = 1;
    return code;
}

static void unmap_and_close(struct chatllm_obj *obj)
{
    if (obj->mapping) munmap(obj->mapping, obj->mapping_bytes);
    obj->mapping = NULL;
    if (obj->fd >= 0) close(obj->fd);
    obj->fd = -1;
}

static int load_model(struct chatllm_obj *obj, const char *path)
{
    struct stat st;
    obj->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (obj->fd < 0 || fstat(obj->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (obj->fd >= 0) close(obj->fd);
        obj->fd = -1;
        emit_errorf(obj, "failed to open model file: ", path);
        return 1;
    }
    obj->mapping_bytes = (size_t)st.st_size;
    if (obj->mapping_bytes > 0) {
        obj->mapping = mmap(NULL, obj->mapping_bytes, PROT_READ, MAP_SHARED, obj->fd, 0);
        if (obj->mapping == MAP_FAILED) {
            obj->mapping = NULL;
            close(obj->fd);
            obj->fd = -1;
            emit_errorf(obj, "failed to open model file: ", path);
            return 1;
        }
    }
    if (!obj->mapping || parse_header(obj->mapping, obj->mapping_bytes, &obj->hdr) != 0) {
        unmap_and_close(obj);
        emit_errorf(obj, "not a leakgate reference model: ", path);
        return 1;
    }

    /* Read every page so the mapping counts in RssFile, like chatllm.cpp's mmapped weights. */
    long page_bytes = sysconf(_SC_PAGESIZE);
    const volatile unsigned char *bytes = obj->mapping;
    unsigned char sum = 0;
    for (size_t off = 0; off < obj->mapping_bytes; off += (size_t)page_bytes) sum ^= bytes[off];
    (void)sum;

    char *resolved = realpath(path, NULL);
    obj->iteration = next_load_iteration(resolved ? resolved : path);
    free(resolved);

    if (alloc_heap_chunks(obj, obj->hdr.heap_bytes) != 0) {
        free_heap_chunks(obj);
        unmap_and_close(obj);
        emit_errorf(obj, "out of memory allocating model buffers: ", path);
        return 1;
    }
    apply_planted_load_behaviour(obj);

    if (!(obj->hdr.flags & FLAG_KEEP_FD)) {
        close(obj->fd);
        obj->fd = -1;
    }
    maybe_trigger(obj, STEP_LOAD);
    return 0;
}

EXPORT int chatllm_start(struct chatllm_obj *obj, f_chatllm_print f_print, f_chatllm_end f_end, void *user_data)
{
    if (!obj) return -1;
    obj->f_print = f_print;
    obj->f_end = f_end;
    obj->user_data = user_data;
    if (obj->started) {
        emit(obj, PRINTLN_ERROR, "chatllm_start called twice on the same object");
        return 1;
    }

    const char *model_path = NULL;
    int bad_index = parse_params(obj, &model_path);
    if (bad_index != 0) return fail_start(obj, bad_index);
    if (!model_path) {
        emit(obj, PRINTLN_ERROR, "failed to open model file: (no -m MODEL given)");
        return fail_start(obj, 1);
    }
    if (load_model(obj, model_path) != 0) return fail_start(obj, 1);

    obj->started = 1;
    emit(obj, PRINTLN_META, "leakgate reference engine 1 (libchatllm ABI)");
    char info[256];
    snprintf(info, sizeof info,
             "{\"name\":\"leakgate-ref\",\"context_length\":%d,\"capabilities\":[\"Text\",\"Audio Input\"],"
             "\"purpose\":\"ASR\"}",
             obj->context_length);
    emit(obj, PRINTLN_MODEL_INFO, info);
    return 0;
}

EXPORT void chatllm_set_gen_max_tokens(struct chatllm_obj *obj, int gen_max_tokens)
{
    if (obj) obj->gen_max_tokens = gen_max_tokens;
}

EXPORT void chatllm_restart(struct chatllm_obj *obj, const char *utf8_sys_prompt)
{
    (void)utf8_sys_prompt;
    if (!obj) return;
    free(obj->kv_cache);
    obj->kv_cache = NULL;
    obj->turns = 0;
}

EXPORT void chatllm_abort_generation(struct chatllm_obj *obj)
{
    if (obj) obj->abort_requested = 1;
}

/* Extracts PATH from "<open>audio:PATH<close>"; returns a malloc'd string or NULL. */
static char *audio_path_of(const struct chatllm_obj *obj, const char *input)
{
    const char *start = strstr(input, obj->tag_open);
    if (!start) return NULL;
    start += strlen(obj->tag_open);
    if (strncmp(start, "audio:", 6) != 0) return NULL;
    start += 6;
    const char *end = strstr(start, obj->tag_close);
    if (!end) return NULL;
    return strndup(start, (size_t)(end - start));
}

static size_t utf8_char_bytes(const char *s, size_t left)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    return n > left ? left : n;
}

static void emit_transcript(struct chatllm_obj *obj)
{
    const struct ref_header *h = &obj->hdr;
    const char *text = h->transcript;
    size_t left = h->transcript_len;
    long budget = obj->gen_max_tokens < 0 ? -1 : obj->gen_max_tokens;

    if (obj->abort_requested) return;

    char marker[96];
    snprintf(marker, sizeof marker, "language %s<asr_text>", obj->language);
    if (h->flags & FLAG_SPLIT_MARKERS) {
        char head[96];
        snprintf(head, sizeof head, "language %s<asr_", obj->language);
        emit(obj, PRINT_CHAT_CHUNK, head);
        emit(obj, PRINT_CHAT_CHUNK, "text>");
        marker[0] = '\0';
    }

    /* The first chunk carries the (rest of the) marker plus the first character. */
    char chunk[96 + 8];
    size_t n = (left > 0 && budget != 0) ? utf8_char_bytes(text, left) : 0;
    size_t marker_bytes = strlen(marker);
    memcpy(chunk, marker, marker_bytes);
    memcpy(chunk + marker_bytes, text, n);
    chunk[marker_bytes + n] = '\0';
    if (chunk[0] != '\0') emit(obj, PRINT_CHAT_CHUNK, chunk);
    text += n;
    left -= n;
    if (budget > 0 && n > 0) budget--;

    maybe_trigger(obj, STEP_INFER);

    while (left > 0 && budget != 0 && !obj->abort_requested) {
        sleep_ms(h->char_ms);
        if (obj->abort_requested) break;
        n = utf8_char_bytes(text, left);
        memcpy(chunk, text, n);
        chunk[n] = '\0';
        emit(obj, PRINT_CHAT_CHUNK, chunk);
        text += n;
        left -= n;
        if (budget > 0) budget--;
    }
}

EXPORT int chatllm_user_input(struct chatllm_obj *obj, const char *utf8_str)
{
    if (!obj || !obj->started || obj->generating || !utf8_str) return -1;
    obj->generating = 1;
    obj->abort_requested = 0;

    char *audio_path = audio_path_of(obj, utf8_str);
    struct stat st;
    if (!audio_path || stat(audio_path, &st) != 0) {
        /* The real engine silently transcribes nothing when the audio is missing. */
        free(audio_path);
        obj->generating = 0;
        emit_end(obj);
        return 0;
    }
    free(audio_path);

    if (!obj->kv_cache) obj->kv_cache = alloc_dirty((size_t)obj->hdr.kv_bytes);
    if (obj->hdr.leak_per_infer_bytes > 0) refengine_leak_per_infer((size_t)obj->hdr.leak_per_infer_bytes);
    obj->turns++;

    sleep_ms(obj->hdr.ttft_ms);
    emit_transcript(obj);

    obj->generating = 0;
    emit_end(obj);
    return 0;
}

EXPORT int chatllm_destroy(struct chatllm_obj *obj)
{
    if (!obj) return -1;
    /* The real engine dereferences a streamer that a failed start never made. */
    if (obj->start_failed) raise(SIGSEGV);
    if (obj->generating) return -1;
    if (obj->started) maybe_trigger(obj, STEP_UNLOAD);

    free_heap_chunks(obj);
    free_fragment_chunks(obj);
    free(obj->kv_cache);
    if (obj->mapping && !(obj->hdr.flags & FLAG_KEEP_MAPPING)) munmap(obj->mapping, obj->mapping_bytes);
    if (obj->fd >= 0 && !(obj->hdr.flags & FLAG_KEEP_FD)) close(obj->fd);
    for (size_t i = 0; i < obj->n_params; i++) free(obj->params[i]);
    free(obj->params);
    free(obj);
    return 0;
}
