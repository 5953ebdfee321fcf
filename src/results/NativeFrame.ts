/** One frame of a native stack, as the debug info names it. */
export interface NativeFrame {
  /** Demangled function name, or null when the module has no symbol for the address. */
  function: string | null;
  /** Source file and line, when the module carries line tables. */
  file: string | null;
  line: number | null;
  /** The shared object (or executable) the address belongs to. */
  module: string;
}

/** "function (file:line)" or the module when the frame has no symbol. */
export function describeFrame(frame: NativeFrame): string {
  const where = frame.file ? ` (${frame.file}${frame.line ? `:${frame.line}` : ''})` : '';
  return `${frame.function ?? `?? in ${frame.module}`}${where}`;
}

/** Libraries whose frames are not the engine's: glibc, the C++ runtime, the JS runtime, leakgate's handler. */
const RUNTIME_MODULE = /\/(libc|libm|libstdc\+\+|libgcc_s|ld-linux[\w-]*|libpthread|libleakgate-crashstack)[.-][^/]*$|\.node$|\/node$/;
const RUNTIME_FUNCTION = new RegExp(
  '^(std::|__gnu_cxx::|__cxa_|operator new|operator delete|__restore_rt|_Unwind_|' +
    'raise$|abort$|__libc_|__pthread_kill|malloc_printerr|__GI_)',
);

/** A frame of the engine (or another library it brought), not of glibc, the C++ runtime or the JS runtime. */
export const isEngineFrame = (frame: NativeFrame): boolean =>
  !RUNTIME_MODULE.test(frame.module) && !(frame.function !== null && RUNTIME_FUNCTION.test(frame.function));
