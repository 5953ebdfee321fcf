// Types for scripts/native-build.js, which stays plain JavaScript so it runs before `npm ci` installs tsx.

/** Absolute paths the build uses: the submodule, the patch set, the CMake build tree and the output directory. */
export declare function nativeBuildPaths(): {
  repoRoot: string;
  submodulePath: string;
  patchesDir: string;
  buildDir: string;
  libDir: string;
};

/** The patches to apply, in order: the --patch files as given, else native/patches/*.diff by name; none with --no-patches. */
export declare function resolvePatches(
  patchArgs: string[],
  noPatches: boolean,
  dir?: string,
): Promise<{ name: string; path: string; sha256: string }[]>;

/** Which hunk git apply could not apply, from its stderr and the patch text: "hunk @@ -120,7 +120,8 @@ in src/chat.cpp". */
export declare function describeFailedHunk(gitError: string, patchText: string): string;

/**
 * The chatllm.cpp source to build: $CHATLLM_SRC, else the native/chatllm.cpp submodule when checked out.
 * Throws an Error with `exitCode` 2 and the commands that get a source when there is none.
 */
export declare function resolveChatllmSource(env: NodeJS.ProcessEnv): { path: string; origin: 'CHATLLM_SRC' | 'submodule' };

/**
 * Rewrites a 64-bit little-endian ELF file's DT_RUNPATH (or DT_RPATH) in place, as chrpath does: the
 * new value must not be longer than the old. Returns the previous value, or null when there is none.
 */
export declare function setRunpathInPlace(path: string, runpath: string): string | null;

/** What native/build/lib/BUILD_INFO.json records. */
export interface NativeBuildInfo {
  source: string;
  sourceOrigin: 'CHATLLM_SRC' | 'submodule';
  commit: string | null;
  pinnedCommit: string | null;
  /** Patches applied to the source before the build, in order; [] for upstream as is. */
  patches: { name: string; sha256: string }[];
  portable: boolean;
  cmakeArgs: string[];
  buildThreads: number;
  buildSeconds: number;
  builtAt: string;
  compiler: string | null;
  cmakeVersion: string | null;
  platform: string;
  files: { name: string; sizeBytes: number; sha256: string }[];
}

/** Configures, builds and installs libchatllm into native/build/lib; resolves to the BUILD_INFO record. */
export declare function nativeBuild(args: string[], env: NodeJS.ProcessEnv): Promise<NativeBuildInfo>;
