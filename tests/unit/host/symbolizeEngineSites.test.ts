import { describe, expect, it } from 'vitest';
import { EngineSiteNames, pickSiteFrame, qualifiedName } from '../../../src/host/symbolizeEngineSites.js';
import type { EngineSiteChange } from '../../../src/protocol/EngineSiteChange.js';
import type { NativeFrame } from '../../../src/results/NativeFrame.js';

const LIB = '/tmp/eng/111/lib/libchatllm.so';
const frame = (fn: string, file: string, line: number): NativeFrame => ({ function: fn, file, line, module: LIB });

// addr2line -C -f -i output for a return address in libchatllm (pin + PR #111), innermost first, with
// libstdc++'s headers installed outside /usr (a toolchain in /opt): only the names tell std:: apart.
const INLINED_REALLOC = [
  frame(
    'std::__new_allocator<std::__cxx11::basic_string<char> >::allocate(unsigned long, void const*)',
    '/opt/gcc-12/include/c++/12/bits/new_allocator.h',
    137,
  ),
  frame(
    'void std::vector<std::__cxx11::basic_string<char>, std::allocator<std::__cxx11::basic_string<char> > >' +
      '::_M_realloc_insert<std::__cxx11::basic_string<char> const&>(__gnu_cxx::__normal_iterator<std::__cxx11::basic_string<char>*, ' +
      'std::vector<std::__cxx11::basic_string<char> > >, std::__cxx11::basic_string<char> const&)',
    '/opt/gcc-12/include/c++/12/bits/vector.tcc',
    445,
  ),
  frame(
    '__gnu_cxx::__normal_iterator<int*, std::vector<int> > std::__find_if<int>(int)',
    '/opt/gcc-12/include/c++/12/bits/stl_algobase.h',
    2100,
  ),
  frame('chatllm::BlockParams::FlashAttention::push(std::__cxx11::basic_string<char> const&)', '/src/layers.cpp', 1690),
  frame('chatllm::ModelObject::load(std::map<std::string, std::string>&)', '/src/chat.cpp', 900),
];

describe('qualifiedName', () => {
  it('drops the return type, template arguments and parameters', () => {
    expect(qualifiedName(INLINED_REALLOC[1]!.function!)).toBe('std::vector::_M_realloc_insert');
    expect(qualifiedName(INLINED_REALLOC[2]!.function!)).toBe('std::__find_if');
    expect(qualifiedName('chatllm::BlockParams::FlashAttention::push(std::__cxx11::basic_string<char> const&)')).toBe(
      'chatllm::BlockParams::FlashAttention::push',
    );
    expect(qualifiedName('build_special_token_cache')).toBe('build_special_token_cache');
  });
});

describe('pickSiteFrame', () => {
  it('names a site inside inlined std:: allocator code by its first engine caller in the inline chain', () => {
    expect(pickSiteFrame(INLINED_REALLOC)?.function).toBe(
      'chatllm::BlockParams::FlashAttention::push(std::__cxx11::basic_string<char> const&)',
    );
  });

  it('a chain that is std:: all the way keeps its innermost frame (nothing better to name it by)', () => {
    expect(pickSiteFrame(INLINED_REALLOC.slice(0, 3))).toBe(INLINED_REALLOC[0]);
  });

  it('an engine function whose parameters are std:: types is the engine: only the qualified name counts', () => {
    const own = frame('tokenizer::Reader::read_string[abi:cxx11](std::vector<int>&)', '/src/tokenizer.cpp', 210);
    expect(pickSiteFrame([own])).toBe(own);
  });
});

describe('EngineSiteNames', () => {
  it('sets the site function and file:line from the chosen frame, symbolizing each site once', () => {
    const calls: string[][] = [];
    const names = new EngineSiteNames((lines) => {
      calls.push(lines);
      return lines.map(() => INLINED_REALLOC);
    });
    const change = (): EngineSiteChange => ({ site: `${LIB}+0x396fc6`, changeBytes: 32, changeBlocks: 1 }) as EngineSiteChange;
    const first = [change()];
    names.name(first);
    names.name([change()]);
    expect(first[0]).toMatchObject({
      function: 'chatllm::BlockParams::FlashAttention::push(std::__cxx11::basic_string<char> const&)',
      location: '/src/layers.cpp:1690',
    });
    expect(calls).toEqual([[`${LIB} 0x396fc5 -`]]);
  });
});
