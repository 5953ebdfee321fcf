import { describe, expect, it } from 'vitest';
import { normalizeTranscript } from '../../../src/transcript/normalizeTranscript.js';

describe('normalizeTranscript', () => {
  it('turns the spoken phone number into digits', () => {
    expect(normalizeTranscript({ transcript: '零九零零零七三三三一' })).toEqual({
      zhTw: '零九零零零七三三三一',
      itn: '0900073331',
    });
  });

  it('converts a simplified sentence to zh-TW before the numbers', () => {
    expect(normalizeTranscript({ transcript: '我的电话号码是零九零零零七三三三一，软件占用两千零二十兆内存' })).toEqual({
      zhTw: '我的電話號碼是零九零零零七三三三一，軟體佔用兩千零二十兆記憶體',
      itn: '我的電話號碼是0900073331，軟體佔用2020兆記憶體',
    });
  });

  it('leaves English text alone', () => {
    expect(normalizeTranscript({ transcript: 'Hello, this is a test.' })).toEqual({
      zhTw: 'Hello, this is a test.',
      itn: 'Hello, this is a test.',
    });
  });
});
