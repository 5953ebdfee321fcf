import { describe, expect, it } from 'vitest';
import { toTraditionalTw } from '../../../src/transcript/toTraditionalTw.js';

describe('toTraditionalTw (OpenCC s2twp)', () => {
  it.each([
    ['软件', '軟體'],
    ['内存', '記憶體'],
    ['电话号码', '電話號碼'],
    ['鼠标', '滑鼠'],
    ['信息', '資訊'],
    ['出租车', '計程車'],
    ['自行车', '腳踏車'],
    ['服务器', '伺服器'],
  ])('%s -> %s', (simplified, taiwan) => {
    expect(toTraditionalTw(simplified)).toBe(taiwan);
  });

  // Sentence pairs from OpenCC's own s2twp test cases.
  it.each([
    ['鼠标里面的硅二极管坏了，导致光标分辨率降低。', '滑鼠裡面的矽二極體壞了，導致游標解析度降低。'],
    [
      '我们在老挝的服务器的硬盘需要使用互联网算法软件解决异步的问题。',
      '我們在寮國的伺服器的硬碟需要使用網際網路演算法軟體解決非同步的問題。',
    ],
    ['为什么你在床里面睡着？', '為什麼你在床裡面睡著？'],
  ])('converts a sentence: %s', (simplified, taiwan) => {
    expect(toTraditionalTw(simplified)).toBe(taiwan);
  });

  it('leaves Traditional Chinese, digits and Latin text as they are', () => {
    expect(toTraditionalTw('電話號碼 0900073331 hello')).toBe('電話號碼 0900073331 hello');
    expect(toTraditionalTw('零九零零零七三三三一')).toBe('零九零零零七三三三一');
    expect(toTraditionalTw('')).toBe('');
  });
});
