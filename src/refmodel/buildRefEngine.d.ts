// Types for src/refmodel/buildRefEngine.js, which stays plain JavaScript so `npm install` can run it without tsx.

/** Absolute paths of the reference engine's C source and built library. */
export declare function refEnginePaths(): { sourcePath: string; libraryPath: string };

/** What `buildRefEngine` did; `built` is false when the library was already newer than its source. */
export interface RefEngineBuildResult {
  libraryPath: string;
  built: boolean;
  compiler: string | undefined;
  buildMs: number;
}

/**
 * Compiles native/refengine/refengine.c when the library is missing, older than the source, or `force` is set.
 * Rejects with an Error whose `code` is 'LEAKGATE_NO_COMPILER', 'LEAKGATE_UNSUPPORTED_PLATFORM'
 * or 'LEAKGATE_BUILD_FAILED' (then `details` holds the compiler output).
 */
export declare function buildRefEngine(options?: { force?: boolean }): Promise<RefEngineBuildResult>;

/** Absolute paths of the worker's crash-stack handler's C source and built library (built by `buildRefEngine` too). */
export declare function crashStackPaths(): { sourcePath: string; libraryPath: string };

/** Absolute paths of the worker's allocation ledger's C source and built library (built by `buildRefEngine` too). */
export declare function ledgerPaths(): { sourcePath: string; libraryPath: string };

/** Compiles native/ledger/ledger.c when missing or older than its source; rejects like `buildRefEngine`. */
export declare function buildLedger(options?: { force?: boolean }): Promise<RefEngineBuildResult>;
