import { describe, expect, it } from 'vitest';
import { HeaptrackDumpParser } from '../../../src/host/attribution/HeaptrackDump.js';
import { foldStack } from '../../../src/host/attribution/foldStack.js';
import { siteGrowth } from '../../../src/host/attribution/siteGrowth.js';
import { describeFrame, type NativeFrame } from '../../../src/results/NativeFrame.js';

const MARK = 0x2fefd9; // 3_141_593
const ENGINE = '/opt/engine/libchatllm.so';
const isEngine = (module: string): boolean => module.startsWith('/opt/engine/');

/**
 * A heaptrack_interpret stream in its own format (hex indices; strings, ips and traces from 1,
 * allocation kinds from 0). Trace 3: leak_fn <- chatllm_start <- node; trace 4: std::vector inlined
 * into build_vocab <- chatllm_start; trace 5: the worker's mark from node.
 */
const HEADER = [
  's 19 /opt/engine/libchatllm.so', // 1
  's 4 node', // 2
  's 7 leak_fn', // 3
  's 7 src/a.cpp', // 4
  's c chatllm_start', // 5
  's 2a std::vector<int>::_M_realloc_append<int>', // 6
  's 1f /usr/include/c++/14/bits/vector.tcc', // 7
  's b build_vocab', // 8
  'i 1000 2', // ip 1: node, no symbol
  'i 2000 1 5 4 64', // ip 2: chatllm_start src/a.cpp:100
  'i 3000 1 3 4 a', // ip 3: leak_fn src/a.cpp:10
  'i 4000 1 6 7 1f 8 4 14', // ip 4: std::vector (inlined) in build_vocab src/a.cpp:20
  't 1 0', // trace 1: node
  't 2 1', // trace 2: chatllm_start <- node
  't 3 2', // trace 3: leak_fn <- chatllm_start
  't 4 2', // trace 4: vector/build_vocab <- chatllm_start
  't 1 1', // trace 5: node <- node (the mark)
  'a 100 3', // kind 0: 256 B from leak_fn
  'a 40 4', // kind 1: 64 B from build_vocab
  `a ${MARK.toString(16)} 5`, // kind 2: the mark
  'a 10 1', // kind 3: 16 B from node only
];

/** One unload: `leaks` allocations of kind 0 kept, one of kind 1 allocated and freed, then the mark. */
function oneSwitch(leaks: number, nodeGrowth: number): string[] {
  return [...Array.from({ length: leaks }, () => '+ 0'), '+ 1', '- 1', ...Array.from({ length: nodeGrowth }, () => '+ 3'), '+ 2', '- 2'];
}

function parse(lines: string[]) {
  const parser = new HeaptrackDumpParser(MARK);
  for (const line of lines) parser.line(line);
  return parser.finish();
}

describe('HeaptrackDumpParser', () => {
  it('expands inlined frames innermost first and follows parents to the root', () => {
    const dump = parse(HEADER);
    const stack = dump.stackOf(1).map((frame) => `${frame.function}@${frame.line}`);
    expect(stack).toEqual(['std::vector<int>::_M_realloc_append<int>@31', 'build_vocab@20', 'chatllm_start@100', 'null@null']);
    expect(dump.stackOf(0)[0]).toEqual({ function: 'leak_fn', file: 'src/a.cpp', line: 10, module: ENGINE });
  });

  it('snapshots live counts at every mark', () => {
    const dump = parse([...HEADER, ...oneSwitch(1, 0), ...oneSwitch(2, 1)]);
    expect(dump.liveCountsAtMarks.map((counts) => [counts[0], counts[1] ?? 0])).toEqual([
      [1, 0],
      [3, 0],
    ]);
  });
});

describe('foldStack', () => {
  const frame = (fn: string, module = ENGINE, file: string | null = 'src/a.cpp'): NativeFrame => ({ function: fn, file, line: 1, module });

  it('starts at the first engine frame, folds the standard library and stops at the C API entry', () => {
    const folded = foldStack(
      [
        frame('malloc', '/lib/libc.so.6', null),
        frame('operator new(unsigned long)', '/lib/libstdc++.so.6'),
        frame('std::vector<int>::reserve', ENGINE, '/usr/include/c++/14/bits/vector.tcc'),
        frame('Tokenizer::load'),
        frame('std::function<void()>::operator()', ENGINE),
        frame('chatllm_start'),
        frame('koffi::Call', '/x/koffi.node'),
      ],
      isEngine,
    );
    expect(folded?.map((f) => f.function)).toEqual(['Tokenizer::load', 'chatllm_start']);
  });

  it('is null for an allocation the engine did not make', () => {
    expect(foldStack([frame('malloc', '/lib/libc.so.6'), frame('uv_run', '/usr/bin/node')], isEngine)).toBeNull();
  });

  it('describes a frame as function (file:line)', () => {
    expect(describeFrame(frame('Tokenizer::load'))).toBe('Tokenizer::load (src/a.cpp:1)');
  });
});

describe('siteGrowth', () => {
  it('names the site that grows by its bytes and calls per switch, and not the one that frees', () => {
    // Model A leaks 2 x 256 B per switch after a warm-up of 5; model B leaks nothing; node drifts 16 B.
    const dump = parse([
      ...HEADER,
      ...oneSwitch(5, 1),
      ...oneSwitch(0, 1),
      ...oneSwitch(2, 1),
      ...oneSwitch(0, 1),
      ...oneSwitch(2, 1),
      ...oneSwitch(0, 1),
    ]);
    const [a, b] = siteGrowth(dump, ['A', 'B', 'A', 'B', 'A', 'B'], isEngine);
    expect(a!.growingSites).toHaveLength(1);
    expect(a!.growingSites[0]).toMatchObject({ bytesPerSwitch: 512, callsPerSwitch: 2, retainedBytesAfterUnload: [1280, 1792, 2304] });
    expect(a!.growingSites[0]!.stack.map((f) => f.function)).toEqual(['leak_fn', 'chatllm_start']);
    expect(a!.tracedSlopeBytesPerSwitch).toBe(512 + 16);
    expect(b!.growingSites).toEqual([]);
    expect(b!.tracedSlopeBytesPerSwitch).toBe(16);
  });

  it('does not call a site that grew once (warm-up or a one-off) a leak', () => {
    const dump = parse([...HEADER, ...oneSwitch(1, 0), ...oneSwitch(3, 0), ...oneSwitch(0, 0), ...oneSwitch(0, 0)]);
    expect(siteGrowth(dump, ['A', 'A', 'A', 'A'], isEngine)[0]!.growingSites).toEqual([]);
  });

  it('refuses a dump whose marks do not match the unloads', () => {
    expect(() => siteGrowth(parse([...HEADER, ...oneSwitch(1, 0)]), ['A', 'A'], isEngine)).toThrow(/1 unload marks for 2 unloads/);
  });
});
