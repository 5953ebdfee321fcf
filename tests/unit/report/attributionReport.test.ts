import { describe, expect, it } from 'vitest';
import {
  formatAttribution,
  formatNativeStack,
  formatSite,
  formatTopSites,
  shortFunctionName,
} from '../../../src/report/formatAttribution.js';
import { attributionHtml } from '../../../src/report/html/modelSectionHtml.js';
import type { AllocationSite, Attribution } from '../../../src/results/Attribution.js';
import type { NativeFrame } from '../../../src/results/NativeFrame.js';

const LIB = '/opt/engine/libchatllm.so';
const frame = (fn: string, line: number): NativeFrame => ({ function: fn, file: 'src/tokenizer.cpp', line, module: LIB });
const site = (fn: string, bytesPerSwitch: number): AllocationSite => ({
  firstFrame: frame(fn, 10),
  stack: [frame(fn, 10), frame('chatllm::ModelLoader::load', 20), frame('chatllm_start', 30)],
  bytesPerSwitch,
  callsPerSwitch: 2,
  retainedBytesAfterUnload: [bytesPerSwitch, 2 * bytesPerSwitch],
});

const attribution: Attribution = {
  tool: 'heaptrack',
  switches: 4,
  plainRunMs: 2000,
  tracedRunMs: 5000,
  interpretMs: 1000,
  models: [
    {
      modelKey: 'a',
      label: '0.6B',
      switches: 4,
      heapSlopeBytesPerSwitch: 1000 * 1024,
      tracedSlopeBytesPerSwitch: 990 * 1024,
      coveredShare: 0.9,
      growingSites: [
        site('Tokenizer::load', 512 * 1024),
        site('Vocab::add', 256 * 1024),
        site('Model::Model', 128 * 1024),
        site('tiny', 4),
      ],
    },
    {
      modelKey: 'b',
      label: '1.7B',
      switches: 4,
      heapSlopeBytesPerSwitch: 100,
      tracedSlopeBytesPerSwitch: 0,
      coveredShare: null,
      growingSites: [],
    },
  ],
};

describe('the attribution in reports', () => {
  it('lists the top 3 sites of a leaking model only, with coverage and stack', () => {
    const text = formatTopSites(attribution, ['a']);
    expect(text).toContain(
      'Where 0.6B leaks (heaptrack, 4 switches; heap in use +1000.0 KiB/switch without heaptrack, heaptrack saw +990.0 KiB/switch; ' +
        'the sites cover 90 % of it):',
    );
    expect(text).toContain(
      '  1. 512.0 KiB/switch, 2 calls/switch: Tokenizer::load (tokenizer.cpp:10) in libchatllm.so ← ' +
        'chatllm::ModelLoader::load ← chatllm_start',
    );
    expect(text).toContain('  3. 128.0 KiB/switch');
    expect(text).not.toContain('tiny (');
    expect(text).toContain('1 more growing sites');
    expect(text).not.toContain('1.7B');
  });

  it('says nothing without an attribution or a leaking model', () => {
    expect(formatTopSites(undefined, ['a'])).toBe('');
    expect(formatTopSites(attribution, [])).toBe('');
  });

  it('prints every model and the cost against the plain run', () => {
    const text = formatAttribution(attribution);
    expect(text).toContain(
      'Model 1.7B: heap in use +100 B/switch without heaptrack, heaptrack saw +0 B/switch\n    no growing site in the engine',
    );
    expect(text).toContain('2.0 s plain, 5.0 s under heaptrack (2.5x), reading its dump 1.0 s');
  });

  it('shortens C++ names on the console and shows a recursion once, with its depth', () => {
    expect(
      shortFunctionName('std::vector<int, std::allocator<int> >* chatllm::load_tokenizer<chatllm::Config>(chatllm::ModelLoader&, int)'),
    ).toBe('std::vector* chatllm::load_tokenizer');
    expect(shortFunctionName(null)).toBe('??');
    const recursive: AllocationSite = {
      ...site('make_tree(std::vector<Item>&, char, int)', 100),
      stack: [
        frame('make_tree(std::vector<Item>&, char, int)', 5),
        frame('make_tree(std::vector<Item>&, char, int)', 6),
        frame('make_tree(std::vector<Item>&, char, int)', 6),
        frame('chatllm_start', 1),
      ],
    };
    expect(formatSite(recursive)).toBe('100 B/switch, 2 calls/switch: make_tree ×3 (tokenizer.cpp:10) in libchatllm.so ← chatllm_start');
  });

  it('renders an HTML table of the top sites, escaping C++ names', () => {
    const html = attributionHtml({
      model: { ...attribution.models[0]!, growingSites: [site('std::vector<int> f', 64)] },
      tool: 'heaptrack',
      switches: 4,
    });
    expect(html).toContain('<code>std::vector&lt;int&gt; f (src/tokenizer.cpp:10)</code>');
    expect(html).toContain('<td>libchatllm.so</td>');
    expect(html).toContain('3 frames');
  });

  it('shows a crash stack engine frames first and counts the runtime frames it folds', () => {
    const stack: NativeFrame[] = [
      { function: 'on_crash', file: null, line: null, module: '/x/libleakgate-crashstack.so' },
      { function: '__GI_abort', file: null, line: null, module: '/lib/x86_64-linux-gnu/libc.so.6' },
      { function: 'chatllm::CoreAttention::~CoreAttention()', file: 'src/layers.h', line: 1587, module: LIB },
      { function: 'chatllm_destroy', file: 'src/main.cpp', line: 9, module: LIB },
      { function: 'ForwardCallGG', file: null, line: null, module: '/x/koffi.node' },
    ];
    expect(formatNativeStack(stack).split('\n')).toEqual([
      'Native stack of the crashing thread (engine frames, innermost first):',
      '  chatllm::CoreAttention::~CoreAttention() (src/layers.h:1587) in libchatllm.so',
      '  chatllm_destroy (src/main.cpp:9) in libchatllm.so',
      '  (3 glibc, C++ runtime and JS runtime frames folded; the results file has them all)',
    ]);
  });
});
