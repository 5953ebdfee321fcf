import type { NativeFrame } from '../../results/NativeFrame.js';

/** Most engine frames a site's stack keeps (from the first engine frame towards the C API entry). */
const MAX_SITE_FRAMES = 12;

/** C++ standard library and compiler runtime code, even when inlined into the engine's own module. */
const RUNTIME_FUNCTION = /^(std::|__gnu_cxx::|__cxx|__cxa_|operator new|operator delete|_Unwind_)/;
const RUNTIME_FILE = /\/c\+\+\/|\/bits\//;

/** A C API entry of the engine: where a site's stack stops (the caller is the JS runtime). */
const isApiEntry = (frame: NativeFrame): boolean => frame.function !== null && /^chatllm_\w+$/.test(frame.function);

/**
 * Folds a heaptrack stack (leaf first) to the engine's own frames: skips the allocator, C++
 * standard library, glibc and JS runtime (node, koffi, libuv, V8) frames, keeps engine frames from
 * the first one up to the C API entry. Null when no frame is in the engine (a harness allocation).
 */
export function foldStack(frames: NativeFrame[], isEngineModule: (module: string) => boolean): NativeFrame[] | null {
  const engineFrame = (frame: NativeFrame): boolean =>
    isEngineModule(frame.module) &&
    !(frame.function !== null && RUNTIME_FUNCTION.test(frame.function)) &&
    !(frame.file !== null && RUNTIME_FILE.test(frame.file));
  const first = frames.findIndex(engineFrame);
  if (first < 0) return null;
  const kept: NativeFrame[] = [];
  for (const frame of frames.slice(first)) {
    if (!engineFrame(frame)) continue;
    kept.push(frame);
    if (isApiEntry(frame) || kept.length === MAX_SITE_FRAMES) break;
  }
  return kept;
}

/** The identity of a folded stack: two traces that fold to the same frames are one site. */
export const siteKey = (stack: NativeFrame[]): string =>
  stack.map((frame) => `${frame.function}|${frame.file}|${frame.line}|${frame.module}`).join('\n');
