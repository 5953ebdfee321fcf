// Types for src/refmodel/buildRefEngine.js, which stays plain JavaScript so `npm install` can run it without tsx.

/** A native helper leakgate compiles from one C file into one shared library. */
export interface NativeHelper {
  name: string;
  /** The C source, relative to the package root. */
  source: string;
  /** The library's file name in nativeBuildDir(). */
  library: string;
  /** Compiler flags after the common ones (e.g. ['-ldl']). */
  flags?: readonly string[];
}

/** Every native helper buildRefEngine builds; add one here. */
export declare const NATIVE_HELPERS: readonly NativeHelper[];

/**
 * Where the native helpers are built: ROOT/native/build in a checkout; in a dependency
 * PROJECT/node_modules/.cache/leakgate/VERSION-HASH (or $LEAKGATE_CACHE_DIR/VERSION-HASH).
 */
export declare function nativeBuildDir(root?: string, env?: NodeJS.ProcessEnv): string;

/** Absolute paths of a native helper's C source and built library (it may not exist yet). */
export declare function nativeHelperPaths(name: string): { sourcePath: string; libraryPath: string };

/** Absolute paths of the reference engine's C source and built library. */
export declare function refEnginePaths(): { sourcePath: string; libraryPath: string };

/** What `buildRefEngine` did; `built` is false when every library was already newer than its source. */
export interface RefEngineBuildResult {
  /** The reference engine's library. */
  libraryPath: string;
  built: boolean;
  compiler: string | undefined;
  buildMs: number;
}

/**
 * Compiles every native helper (the reference engine, the crash-stack handler, ...) whose library is
 * missing, older than its source, or when `force` is set. Outside a checkout the build is announced
 * with one line (to stderr, or `log`).
 * Rejects with an Error whose `code` is 'LEAKGATE_NO_COMPILER', 'LEAKGATE_UNSUPPORTED_PLATFORM',
 * 'LEAKGATE_BUILD_DIR' (the build folder cannot be made) or 'LEAKGATE_BUILD_FAILED' (then `details`
 * holds the compiler output).
 */
export declare function buildRefEngine(options?: { force?: boolean; log?: (line: string) => void }): Promise<RefEngineBuildResult>;

/** Absolute paths of the worker's crash-stack handler's C source and built library (built by `buildRefEngine` too). */
export declare function crashStackPaths(): { sourcePath: string; libraryPath: string };

/** Absolute paths of the worker's allocation ledger's C source and built library (built by `buildRefEngine` too). */
export declare function ledgerPaths(): { sourcePath: string; libraryPath: string };

/** Compiles native/ledger/ledger.c when missing or older than its source; rejects like `buildRefEngine`. */
export declare function buildLedger(options?: { force?: boolean; log?: (line: string) => void }): Promise<RefEngineBuildResult>;
