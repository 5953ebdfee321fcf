import type { NativeFrame } from '../../results/NativeFrame.js';

/**
 * What leakgate keeps of heaptrack's interpreted event stream (heaptrack_interpret's output):
 * the symbolized stacks of every allocation kind, and how many allocations of each kind were still
 * live at each heap mark (an unload boundary the worker drew, see HEAP_MARK_BYTES).
 */
export interface HeaptrackDump {
  /** Size in bytes of each allocation kind ("a" lines: a size and a stack), by index. */
  allocationBytes: number[];
  /** Stack of each allocation kind, leaf first, inlined frames expanded. */
  stackOf(allocation: number): NativeFrame[];
  /** For each heap mark, in order: live allocations per allocation kind (missing = 0). */
  liveCountsAtMarks: number[][];
}

/**
 * Parses heaptrack_interpret's text format (heaptrack 1.x): `s` strings, `i` instruction pointers
 * (module, then function/file/line triples, innermost inlined frame first), `t` traces (ip, parent
 * trace), `a` allocation kinds (size, trace), `+`/`-` allocation and free of a kind. Indices are hex;
 * strings, ips and traces count from 1, allocation kinds from 0. Other lines are skipped.
 */
export class HeaptrackDumpParser {
  private strings: string[] = [''];
  private ips: { module: number; triples: number[] }[] = [{ module: 0, triples: [] }];
  private traceIp: number[] = [0];
  private traceParent: number[] = [0];
  private allocationBytes: number[] = [];
  private allocationTrace: number[] = [];
  private live: number[] = [];
  private marks = new Set<number>();
  private liveCountsAtMarks: number[][] = [];

  constructor(private readonly markBytes: number) {}

  /** Feeds one line of heaptrack_interpret's output. */
  line(text: string): void {
    const kind = text.charCodeAt(0);
    if (text.charCodeAt(1) !== 32) return;
    switch (kind) {
      case 43: {
        // '+'
        const allocation = parseInt(text.slice(2), 16);
        this.live[allocation] = (this.live[allocation] ?? 0) + 1;
        if (this.marks.has(allocation)) this.liveCountsAtMarks.push(this.live.slice());
        return;
      }
      case 45: {
        // '-'
        const allocation = parseInt(text.slice(2), 16);
        this.live[allocation] = (this.live[allocation] ?? 0) - 1;
        return;
      }
      case 97: {
        // 'a'
        const [size, trace] = fields(text);
        if (size === this.markBytes) this.marks.add(this.allocationBytes.length);
        this.allocationBytes.push(size!);
        this.allocationTrace.push(trace!);
        return;
      }
      case 116: {
        // 't'
        const [ip, parent] = fields(text);
        this.traceIp.push(ip!);
        this.traceParent.push(parent!);
        return;
      }
      case 105: {
        // 'i'
        const [, module, ...triples] = fields(text);
        this.ips.push({ module: module!, triples });
        return;
      }
      case 115: {
        // 's': "s <length> <text>", the text may hold spaces
        const space = text.indexOf(' ', 2);
        this.strings.push(space < 0 ? '' : text.slice(space + 1));
        return;
      }
      default:
    }
  }

  /** The parsed dump; call after the last line. */
  finish(): HeaptrackDump {
    const { strings, ips, traceIp, traceParent, allocationTrace } = this;
    const string = (index: number | undefined): string | null => (index ? (strings[index] ?? null) : null);
    return {
      allocationBytes: this.allocationBytes,
      liveCountsAtMarks: this.liveCountsAtMarks,
      stackOf(allocation) {
        const frames: NativeFrame[] = [];
        for (
          let trace = allocationTrace[allocation] ?? 0, guard = 0;
          trace > 0 && guard < 1000;
          trace = traceParent[trace] ?? 0, guard += 1
        ) {
          const ip = ips[traceIp[trace] ?? 0];
          if (!ip) continue;
          const module = string(ip.module) ?? '?';
          if (ip.triples.length === 0) frames.push({ function: null, file: null, line: null, module });
          for (let i = 0; i < ip.triples.length; i += 3) {
            const line = ip.triples[i + 2];
            frames.push({ function: string(ip.triples[i]), file: string(ip.triples[i + 1]), line: line ? line : null, module });
          }
        }
        return frames;
      },
    };
  }
}

/** The hex fields after the line's tag. */
function fields(text: string): number[] {
  return text
    .slice(2)
    .split(' ')
    .map((field) => parseInt(field, 16));
}
