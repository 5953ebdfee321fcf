/*
 * Reference model file format, version 2 ("reference model": the model file of leakgate's reference
 * engine, native/refengine/refengine.c). Written by writeRefModel, read by readRefModelHeader and by
 * the engine, which mmaps the whole file. All integers little-endian; offsets in bytes.
 *
 *   off  size  field
 *     0     8  magic "LGREFMDL" (ASCII)
 *     8     4  u32 version = 1
 *    12     4  u32 headerBytes = 128 + transcriptLen (padding starts here)
 *    16     8  u64 sizeBytes           total file size; the engine rejects a file of any other size
 *    24     8  u64 heapBytes           malloc'd + memset at load in 1 MiB chunks, freed at unload
 *    32     8  u64 kvBytes             malloc'd + memset at the first input, freed by restart/unload
 *    40     8  u64 leakPerLoadBytes    malloc'd + memset at every load, never freed
 *    48     8  u64 leakPerInferBytes   malloc'd + memset at every input with audio, never freed
 *    56     8  u64 plateauBytes        allocated at each of the first plateauLoads loads, kept forever
 *    64     8  u64 noiseBytes          per load, a fresh buffer of pseudo-random size in [0, noiseBytes)
 *                                      replaces the previous one (stationary noise, no trend)
 *    72     4  u32 plateauLoads
 *    76     4  u32 ttftMs              sleep before the first chunk
 *    80     4  u32 charMs              sleep before each later chunk
 *    84     4  u32 flags               bit 0 keepMapping, 1 keepFd, 2 keepThread, 3 splitMarkers,
 *                                      4 threadOnce, 5 leakEveryOtherLoad, 6 leakAsMmap
 *    88     4  u32 crashStep           0 none, 1 load, 2 infer, 3 unload
 *    92     4  u32 crashIteration      1-based: the Nth load of this file (process-wide count)
 *    96     4  u32 crashKind           0 none, 1 abort, 2 segv, 3 kill
 *   100     4  u32 hangStep            0 none, 1 load, 2 infer, 3 unload
 *   104     4  u32 hangIteration       1-based, as crashIteration
 *   108     4  u32 transcriptLen       bytes of UTF-8
 *   112     8  u64 fragmentBytes       per load, malloc'd in chunks larger than any earlier load's, each
 *                                      followed by a live pin; the chunks are freed at unload (stranded)
 *   120     4  u32 fragmentPinBytes    size of each pin (never freed; at least 16)
 *   124     4  u32 mmapLeakPerLoadBytes  per load, mmapped anonymous (outside malloc), touched, never unmapped
 *   128     n  transcript (UTF-8, no terminator)
 *   128+n   …  padding up to sizeBytes: a cheap deterministic non-zero pattern, so pages are real
 *
 * Iterations count loads of one file path (realpath) within one process: a crash at "infer:3"
 * fires during the first input after the 3rd load of that file.
 */

/** A phase of one load -> transcribe -> unload switch. */
export type RefModelStep = 'load' | 'infer' | 'unload';

/**
 * How a planted crash kills the process: abort() (SIGABRT), raise(SIGSEGV), or raise(SIGKILL), which
 * is what the kernel's OOM killer sends (an out-of-memory kill, planted without a memory cgroup).
 */
export type RefModelCrashKind = 'abort' | 'segv' | 'kill';

/** A planted crash: at `step` of the `iteration`-th (1-based) load of the file. */
export interface RefModelCrash {
  step: RefModelStep;
  iteration: number;
  kind: RefModelCrashKind;
}

/** A planted hang (sleeps forever): at `step` of the `iteration`-th (1-based) load of the file. */
export interface RefModelHang {
  step: RefModelStep;
  iteration: number;
}

/** Everything a reference model file plants in the reference engine; see the format above. */
export interface RefModelSpec {
  /** Total file size, mmapped and read-touched at load (RssFile). @default 32 MiB */
  sizeBytes: number;
  /** Heap allocated at load and freed at unload. @default sizeBytes */
  heapBytes: number;
  /** "KV cache" allocated at the first input, freed by restart or unload. @default floor(sizeBytes / 8) */
  kvBytes: number;
  /** Leaked at every load. @default 0 */
  leakPerLoadBytes: number;
  /** Leaked at every input that names an existing audio file. @default 0 */
  leakPerInferBytes: number;
  /** Number of first loads that each retain plateauBytes forever (warm-up, then flat). @default 0 */
  plateauLoads: number;
  /** Retained at each of the first plateauLoads loads. @default 0 */
  plateauBytes: number;
  /** Upper bound of the stationary noise buffer replaced at each load. @default 0 */
  noiseBytes: number;
  /** Delay before the first chunk. @default 20 */
  ttftMs: number;
  /** Delay before each later chunk. @default 2 */
  charMs: number;
  /** Unload leaves the model mapped. @default false */
  keepMapping: boolean;
  /**
   * Stranded per load: freed at unload, but live pins between the chunks keep glibc from reusing or
   * returning them, so RSS grows by this much per load (malloc_trim gives it back). @default 0
   */
  fragmentBytes: number;
  /** Bytes of each pin between stranded chunks, never freed (one pin per 4 MiB stranded). @default 0 (16) */
  fragmentPinBytes: number;
  /**
   * Leaked outside malloc at every load: an anonymous mmap, touched, never unmapped (heap in use stays
   * flat; malloc_trim cannot give it back). At most 4 GiB − 1. @default 0
   */
  mmapLeakPerLoadBytes: number;
  /** The model file descriptor is never closed. @default false */
  keepFd: boolean;
  /** Each load starts a detached thread that sleeps forever. @default false */
  keepThread: boolean;
  /** The first load in the process starts one thread that stays (a runtime's one-time pool). @default false */
  threadOnce: boolean;
  /** leakPerLoadBytes is leaked at every second load only (loads 2, 4, 6, ...). @default false */
  leakEveryOtherLoad: boolean;
  /** leakPerLoadBytes is leaked as an anonymous mmap (never unmapped) instead of a malloc. @default false */
  leakAsMmap: boolean;
  /** The `language X<asr_text>` marker arrives split as `language X<asr_` + `text>`. @default false */
  splitMarkers: boolean;
  /** @default null */
  crash: RefModelCrash | null;
  /** @default null */
  hang: RefModelHang | null;
  /** Emitted one code point per chunk. @default "零九零零零七三三三一" */
  transcript: string;
}
