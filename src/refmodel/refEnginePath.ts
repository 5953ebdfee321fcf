import { environmentError } from '../errors.js';
import { buildRefEngine, refEnginePaths } from './buildRefEngine.js';

/** Absolute path of the built reference engine, native/build/libchatllm-ref.so (it may not exist yet). */
export function refEngineLibraryPath(): string {
  return refEnginePaths().libraryPath;
}

/**
 * Builds the reference engine if it is missing or older than its source, and resolves to its path.
 * Rejects with an environment error (exit 4) when there is no C compiler or the build fails.
 */
export async function ensureRefEngineBuilt(): Promise<string> {
  try {
    return (await buildRefEngine()).libraryPath;
  } catch (error) {
    throw environmentError((error as Error).message);
  }
}

/**
 * Builds the native helpers (the crash-stack handler the worker installs on any engine) for a run on
 * a real engine. Resolves to null, or to a note when they cannot be built: the run goes on without
 * native crash stacks rather than fail for want of a compiler it does not otherwise need.
 */
export async function ensureNativeHelpersBuilt(): Promise<string | null> {
  try {
    await buildRefEngine();
    return null;
  } catch (error) {
    return `no native crash stacks: ${(error as Error).message}`;
  }
}
