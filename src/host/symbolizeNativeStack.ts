import { execFileSync } from 'node:child_process';
import type { NativeFrame } from '../results/NativeFrame.js';
import { MIB } from '../units.js';

/** addr2line on a large Release library with debug info takes a second or two; never wait longer than this. */
const SYMBOLIZE_TIMEOUT_MS = 20_000;

/**
 * Turns the crash handler's lines ("MODULE 0xOFFSET SYMBOL", innermost first) into frames with
 * demangled names and file:line: addr2line for every shared object (inlined frames expanded),
 * else dladdr's symbol through c++filt. Works with neither tool: the frames then keep the raw symbol.
 */
export function symbolizeNativeStack(lines: string[], execPath = process.execPath): NativeFrame[] {
  return symbolizeNativeLines(lines, execPath).flat();
}

/**
 * As symbolizeNativeStack, one entry per input line: the frames at that address, innermost first
 * (more than one where code was inlined). The allocation ledger's sites are symbolized with it.
 */
export function symbolizeNativeLines(lines: string[], execPath = process.execPath): NativeFrame[][] {
  const raw = lines.map((line) => {
    const [module = '?', offset = '0x0', symbol = '-'] = line.split(' ');
    return { module, offset, symbol: symbol === '-' ? null : symbol };
  });
  const resolved = new Map<string, NativeFrame[]>();
  for (const module of new Set(raw.map((frame) => frame.module))) {
    if (module === '?' || module === execPath || module.endsWith('/node')) continue;
    const offsets = raw.filter((frame) => frame.module === module).map((frame) => frame.offset);
    const output = run('addr2line', ['-a', '-C', '-f', '-i', '-e', module, ...offsets]);
    if (output === null) continue;
    let current: NativeFrame[] | null = null;
    const outputLines = output.split('\n');
    for (let i = 0; i < outputLines.length; i += 1) {
      const text = outputLines[i]!;
      if (/^0x[0-9a-f]+$/.test(text)) {
        current = [];
        resolved.set(`${module} ${BigInt(text).toString(16)}`, current);
        continue;
      }
      if (!current || text === '') continue;
      const where = outputLines[(i += 1)] ?? '??:0';
      const [, file, line] = /^(.*):(\d+|\?)(?: \(discriminator \d+\))?$/.exec(where) ?? [];
      current.push({
        function: text === '??' ? null : text,
        file: !file || file === '??' ? null : file,
        line: line && line !== '?' && line !== '0' ? Number(line) : null,
        module,
      });
    }
  }
  const mangled = raw.filter((frame) => frame.symbol !== null).map((frame) => frame.symbol!);
  const demangled = mangled.length > 0 ? run('c++filt', [], mangled.join('\n'))?.split('\n') : undefined;
  const demangle = new Map(mangled.map((symbol, i) => [symbol, demangled?.[i] ?? symbol]));

  return raw.map((frame) => {
    const fallback: NativeFrame = {
      function: frame.symbol ? (demangle.get(frame.symbol) ?? frame.symbol) : null,
      file: null,
      line: null,
      module: frame.module,
    };
    const found = resolved.get(`${frame.module} ${BigInt(frame.offset).toString(16)}`);
    // addr2line without debug info answers "??": dladdr's exported symbol is better then.
    if (!found || found.length === 0 || found.every((f) => f.function === null)) return [fallback];
    return found;
  });
}

function run(command: string, args: string[], input?: string): string | null {
  try {
    return execFileSync(command, args, {
      input,
      encoding: 'utf8',
      timeout: SYMBOLIZE_TIMEOUT_MS,
      stdio: ['pipe', 'pipe', 'ignore'],
      maxBuffer: 16 * MIB,
    });
  } catch {
    return null;
  }
}
