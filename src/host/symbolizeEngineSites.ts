import type { EngineSiteChange } from '../protocol/EngineSiteChange.js';
import { isEngineFrame, type NativeFrame } from '../results/NativeFrame.js';
import { symbolizeNativeLines } from './symbolizeNativeStack.js';

type Named = { function: string | null; location: string | null };

/**
 * Names the engine's allocation sites ("MODULE+0xOFFSET", return addresses) with addr2line, as crash
 * stacks are named: the function that calls the allocator and its source line. Where code was inlined,
 * the innermost frame that is the engine's own (not a std:: template) names the site. Each site is
 * symbolized once per run, in one addr2line call per module for all the sites new in a sample.
 */
export class EngineSiteNames {
  private known = new Map<string, Named>();

  constructor(private readonly symbolize: (lines: string[]) => NativeFrame[][] = symbolizeNativeLines) {}

  /** Sets `function` and `location` on each change, in place. */
  name(changes: EngineSiteChange[]): void {
    const fresh = [...new Set(changes.map((c) => c.site))].filter((site) => !this.known.has(site));
    if (fresh.length > 0) {
      // The return address points after the call: the call itself is one byte earlier.
      const lines = fresh.map((site) => {
        const at = site.lastIndexOf('+0x');
        const module = at > 0 ? site.slice(0, at) : '?';
        const offset = at > 0 ? BigInt(site.slice(at + 1)) : 1n;
        return `${module || '?'} 0x${(offset > 0n ? offset - 1n : 0n).toString(16)} -`;
      });
      const frames = this.symbolize(lines);
      fresh.forEach((site, i) => this.known.set(site, pick(frames[i] ?? [])));
    }
    for (const change of changes) Object.assign(change, this.known.get(change.site));
  }
}

/**
 * A demangled name's qualified function name, without template arguments, parameters or the return
 * type a function template's name starts with: "void std::vector<T>::_M_realloc_insert<T const&>(…)"
 * is "std::vector::_M_realloc_insert".
 */
export function qualifiedName(demangled: string): string {
  let depth = 0;
  let bare = '';
  for (const character of demangled) {
    if (character === '<') depth += 1;
    else if (character === '>') depth = Math.max(0, depth - 1);
    else if (depth === 0) bare += character;
  }
  const head = bare.split('(')[0]!.trim();
  return head.slice(head.lastIndexOf(' ') + 1);
}

/** std:: and __gnu_cxx:: code (a template instantiated into the engine), whatever its return type. */
const isLibraryTemplate = (frame: NativeFrame): boolean =>
  frame.function !== null && /^(std|__gnu_cxx)::/.test(qualifiedName(frame.function));

/**
 * The frame that names a site, from its inline chain (innermost first): the first that is the engine's
 * own, neither the runtime, a std:: template inlined into the engine nor a system header; else the
 * innermost. (The ledger already walks past std:: functions emitted out of line into the engine.)
 */
export function pickSiteFrame(frames: readonly NativeFrame[]): NativeFrame | undefined {
  return frames.find((f) => isEngineFrame(f) && !isLibraryTemplate(f) && !f.file?.startsWith('/usr/')) ?? frames[0];
}

function pick(frames: NativeFrame[]): Named {
  const frame = pickSiteFrame(frames);
  if (!frame) return { function: null, location: null };
  return { function: frame.function, location: frame.file ? `${frame.file}${frame.line ? `:${frame.line}` : ''}` : null };
}
