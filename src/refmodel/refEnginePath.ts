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
