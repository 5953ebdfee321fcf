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
