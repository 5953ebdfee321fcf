/**
 * The only module that calls `koffi.load`. It binds the subset of chatllm.cpp's C API
 * (bindings/libchatllm.h) that leakgate drives, and glibc's allocator statistics.
 * It runs in the worker process only: native code never runs in the CLI or test-runner process.
 */
import koffi from 'koffi';

export type PrintCallback = (printType: number, text: string) => void;
export type EndCallback = () => void;

/** An opaque `struct chatllm_obj *`. */
export type ChatllmObject = unknown;

export interface ChatllmLibrary {
  create(): ChatllmObject;
  appendParam(obj: ChatllmObject, param: string): void;
  /** Registers the callbacks (kept until `unregisterCallbacks`) and calls chatllm_start. */
  start(obj: ChatllmObject, onPrint: PrintCallback, onEnd: EndCallback): number;
  setGenMaxTokens(obj: ChatllmObject, genMaxTokens: number): void;
  userInput(obj: ChatllmObject, text: string): number;
  restart(obj: ChatllmObject, systemPrompt: string | null): void;
  abortGeneration(obj: ChatllmObject): void;
  destroy(obj: ChatllmObject): number;
  /** Frees the koffi trampolines of the callbacks registered by `start` for this object. */
  unregisterCallbacks(obj: ChatllmObject): void;
  /** `leakgate_ref_engine_version()` when the library is leakgate's reference engine, else null. */
  referenceEngineVersion: string | null;
}

/** What mallinfo2() says, in bytes. */
export interface MallocFigures {
  /** uordblks + hblkhd: what malloc has handed out and not had back (heap in use). */
  heapInUseBytes: number;
  /** hblkhd: malloc's chunks mmapped one by one (part of heapInUseBytes). */
  mmappedChunkBytes: number;
  /** arena: what the arenas took from the system, wherever it lies (see splitAnonymousMemory). */
  arenaSystemBytes: number;
  /** fordblks: the free chunks in the arenas. */
  arenaFreeBytes: number;
}

export interface LibcAllocator {
  /** glibc mallinfo2(), read once: the allocator's figures at one moment. */
  mallinfo(): MallocFigures;
  /** glibc malloc_trim(0): returns free heap pages to the OS. */
  trim(): void;
  /** glibc mallopt(M_MMAP_THRESHOLD, bytes): pins the threshold (glibc stops moving it); false when refused. */
  pinMmapThreshold(bytes: number): boolean;
  /** malloc(bytes) then free: a mark a heap profiler records in its event stream (see HEAP_MARK_BYTES). */
  mark(bytes: number): void;
}

/** The C functions leakgate needs, with the prototype each is bound with. */
const CHATLLM_FUNCTIONS = {
  create: 'void *chatllm_create(void)',
  appendParam: 'void chatllm_append_param(void *obj, const char *utf8_str)',
  start: 'int chatllm_start(void *obj, chatllm_print *f_print, chatllm_end *f_end, void *user_data)',
  setGenMaxTokens: 'void chatllm_set_gen_max_tokens(void *obj, int gen_max_tokens)',
  userInput: 'int chatllm_user_input(void *obj, const char *utf8_str)',
  restart: 'void chatllm_restart(void *obj, const char *utf8_sys_prompt)',
  abortGeneration: 'void chatllm_abort_generation(void *obj)',
  destroy: 'int chatllm_destroy(void *obj)',
} as const;

const printProto = koffi.proto('void chatllm_print(void *user_data, int print_type, const char *utf8_str)');
const endProto = koffi.proto('void chatllm_end(void *user_data)');

/** Raised when the file cannot be loaded or lacks part of the ABI; the worker turns it into a libraryError. */
export class NativeLoadError extends Error {
  override readonly name = 'NativeLoadError';
}

/**
 * Loads a library exporting chatllm.cpp's C API.
 * @throws NativeLoadError naming the file, or the first missing symbol.
 */
export function loadChatllm(libraryPath: string): ChatllmLibrary {
  let lib: koffi.IKoffiLib;
  try {
    lib = koffi.load(libraryPath);
  } catch (error) {
    throw new NativeLoadError(`cannot load ${libraryPath} as a shared library: ${firstLine(error)}`);
  }
  const bind = (proto: string): koffi.KoffiFunction => {
    try {
      return lib.func(proto);
    } catch {
      const symbol = /(\w+)\(/.exec(proto)?.[1] ?? proto;
      throw new NativeLoadError(`${libraryPath} does not export ${symbol}: it is not a libchatllm build`);
    }
  };
  const fn = Object.fromEntries(Object.entries(CHATLLM_FUNCTIONS).map(([name, proto]) => [name, bind(proto)])) as Record<
    keyof typeof CHATLLM_FUNCTIONS,
    koffi.KoffiFunction
  >;

  let referenceEngineVersion: string | null = null;
  try {
    referenceEngineVersion = lib.func('const char *leakgate_ref_engine_version(void)')() as string;
  } catch {
    referenceEngineVersion = null; // a real libchatllm
  }

  // Callbacks stay registered while the engine may call them (start stores them in the object).
  const registered = new Map<ChatllmObject, unknown[]>();

  return {
    create: () => fn.create(),
    appendParam: (obj, param) => fn.appendParam(obj, param),
    start(obj, onPrint, onEnd) {
      const print = koffi.register(
        (_user: unknown, printType: number, text: string | null) => onPrint(printType, text ?? ''),
        koffi.pointer(printProto),
      );
      const end = koffi.register(() => onEnd(), koffi.pointer(endProto));
      registered.set(obj, [print, end]);
      return fn.start(obj, print, end, null) as number;
    },
    setGenMaxTokens: (obj, n) => fn.setGenMaxTokens(obj, n),
    userInput: (obj, text) => fn.userInput(obj, text) as number,
    restart: (obj, prompt) => fn.restart(obj, prompt),
    abortGeneration: (obj) => fn.abortGeneration(obj),
    destroy: (obj) => fn.destroy(obj) as number,
    unregisterCallbacks(obj) {
      for (const callback of registered.get(obj) ?? []) koffi.unregister(callback as koffi.IKoffiRegisteredCallback);
      registered.delete(obj);
    },
    referenceEngineVersion,
  };
}

/** mallopt's parameter number for the mmap threshold (malloc.h). */
const M_MMAP_THRESHOLD = -3;

/** Binds glibc's mallinfo2 and malloc_trim; null where the C library is not glibc >= 2.33. */
export function loadLibc(): LibcAllocator | null {
  try {
    const libc = koffi.load('libc.so.6');
    const mallinfo2Struct = koffi.struct('mallinfo2', {
      arena: 'size_t',
      ordblks: 'size_t',
      smblks: 'size_t',
      hblks: 'size_t',
      hblkhd: 'size_t',
      usmblks: 'size_t',
      fsmblks: 'size_t',
      uordblks: 'size_t',
      fordblks: 'size_t',
      keepcost: 'size_t',
    });
    const mallinfo2 = libc.func('mallinfo2', mallinfo2Struct, []);
    const mallocTrim = libc.func('int malloc_trim(size_t pad)');
    const mallopt = libc.func('int mallopt(int param, int value)');
    // From the global scope, not libc's own table: a preloaded heap profiler's malloc must see the mark.
    const globalScope = koffi.load(null as unknown as string);
    const malloc = globalScope.func('void *malloc(size_t size)');
    const free = globalScope.func('void free(void *ptr)');
    return {
      mallinfo() {
        type Field = 'uordblks' | 'hblkhd' | 'arena' | 'fordblks';
        const info = mallinfo2() as Record<Field, number | bigint>;
        return {
          heapInUseBytes: Number(info.uordblks) + Number(info.hblkhd),
          mmappedChunkBytes: Number(info.hblkhd),
          arenaSystemBytes: Number(info.arena),
          arenaFreeBytes: Number(info.fordblks),
        };
      },
      trim: () => void mallocTrim(0),
      pinMmapThreshold: (bytes) => mallopt(M_MMAP_THRESHOLD, bytes) === 1,
      mark: (bytes) => void free(malloc(bytes)),
    };
  } catch {
    return null;
  }
}

/** prctl option: the signal this process receives when its parent exits (linux/prctl.h). */
const PR_SET_PDEATHSIG = 1;
const SIGKILL = 9;

/**
 * Asks Linux to SIGKILL this process when its parent dies. A worker stuck in a native call never runs
 * its 'disconnect' handler, so without this a host killed by SIGKILL would leave it running forever.
 * Returns false where prctl is unavailable (not Linux/glibc).
 */
export function dieWithParent(): boolean {
  try {
    const prctl = koffi
      .load('libc.so.6')
      .func('int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)');
    return prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) === 0;
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}

/**
 * Loads leakgate's crash-stack handler (native/crashstack, built on install) and installs it for
 * SIGSEGV, SIGABRT, SIGBUS, SIGFPE and SIGILL: a crash then writes the native stack to stderr before
 * the process dies as before. Returns false when the library is not built or cannot be installed.
 */
export function installCrashHandler(libraryPath: string): boolean {
  try {
    const install = koffi.load(libraryPath).func('int leakgate_install_crash_handler(void)');
    return install() === 0;
  } catch {
    return false;
  }
}

/** What the allocation ledger (native/ledger) counts for the engine's code, exactly. */
export interface EngineLedgerSnapshot {
  /** Live bytes of heap blocks the engine allocated (malloc, new, realloc, ... as requested, not usable size). */
  heapBytes: number;
  heapBlocks: number;
  /** Live bytes of anonymous mappings the engine made with mmap. */
  mmapBytes: number;
  mmapRegions: number;
  /** Engine allocations and frees seen, and unwinds taken for runtime callers (std::string growth in libstdc++). */
  engineCalls: number;
  unwinds: number;
  /** Allocations the ledger could not record (table full): non-zero means the counts are a lower bound. */
  tableFailures: number;
  /** Executable segments counted as the engine's. */
  engineSegments: number;
  /** The M_MMAP_THRESHOLD the ledger pinned (0: mallopt refused). */
  mmapThresholdBytes: number;
}

/** One allocation site of the engine: the return address into engine code, with what it holds now. */
export interface EngineLedgerSite {
  /** The engine module's path and the return address's offset in it (what addr2line takes, after − 1). */
  module: string;
  moduleOffset: number;
  liveBytes: number;
  liveBlocks: number;
}

export interface EngineLedger {
  /** Counts allocations from code in modules whose file name contains one of `names`; returns the segments found. */
  arm(names: readonly string[]): number;
  snapshot(): EngineLedgerSnapshot;
  /** Up to `max` sites with live blocks, largest first. */
  sites(max: number): EngineLedgerSite[];
}

/**
 * Binds the allocation ledger when the host preloaded it into this worker (LD_PRELOAD), else null.
 * Its symbols are in the global scope: the library is not loaded a second time.
 */
export function loadEngineLedger(): EngineLedger | null {
  try {
    const globalScope = koffi.load(null as unknown as string);
    const active = globalScope.func('int leakgate_ledger_active(void)');
    if (active() !== 1) return null;
    const snapshotStruct = koffi.struct('leakgate_ledger_snapshot', {
      heap_bytes: 'uint64_t',
      heap_blocks: 'uint64_t',
      mmap_bytes: 'uint64_t',
      mmap_regions: 'uint64_t',
      engine_calls: 'uint64_t',
      unwinds: 'uint64_t',
      table_failures: 'uint64_t',
      engine_modules: 'uint64_t',
      mmap_threshold_bytes: 'uint64_t',
      fast_walks: 'uint64_t',
    });
    const siteStruct = koffi.struct('leakgate_ledger_site', {
      address: 'uint64_t',
      module_offset: 'uint64_t',
      module: 'const char *',
      live_bytes: 'int64_t',
      live_blocks: 'int64_t',
    });
    const arm = globalScope.func('int leakgate_ledger_arm(const char **names, int n)');
    const snapshot = globalScope.func('leakgate_ledger_snapshot', 'void', [koffi.out(koffi.pointer(snapshotStruct))]);
    const sites = globalScope.func('int leakgate_ledger_sites(void *out, int max)');
    const siteBytes = koffi.sizeof(siteStruct);
    type RawSnapshot = Record<
      | 'heap_bytes'
      | 'heap_blocks'
      | 'mmap_bytes'
      | 'mmap_regions'
      | 'engine_calls'
      | 'unwinds'
      | 'table_failures'
      | 'engine_modules'
      | 'mmap_threshold_bytes'
      | 'fast_walks',
      number | bigint
    >;
    type RawSite = { module_offset: number | bigint; module: string | null; live_bytes: number | bigint; live_blocks: number | bigint };
    return {
      arm: (names) => arm([...names], names.length) as number,
      snapshot() {
        const raw = {} as RawSnapshot;
        snapshot(raw);
        return {
          heapBytes: Number(raw.heap_bytes),
          heapBlocks: Number(raw.heap_blocks),
          mmapBytes: Number(raw.mmap_bytes),
          mmapRegions: Number(raw.mmap_regions),
          engineCalls: Number(raw.engine_calls),
          unwinds: Number(raw.unwinds),
          tableFailures: Number(raw.table_failures),
          engineSegments: Number(raw.engine_modules),
          mmapThresholdBytes: Number(raw.mmap_threshold_bytes),
        };
      },
      sites(max) {
        const buffer = Buffer.alloc(max * siteBytes);
        const n = sites(buffer, max) as number;
        const out = Array.from({ length: n }, (_, i) => koffi.decode(buffer, i * siteBytes, siteStruct) as RawSite);
        return out.map((s) => ({
          module: s.module ?? '',
          moduleOffset: Number(s.module_offset),
          liveBytes: Number(s.live_bytes),
          liveBlocks: Number(s.live_blocks),
        }));
      },
    };
  } catch {
    return null;
  }
}
