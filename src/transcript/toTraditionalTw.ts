import * as OpenCC from 'opencc-js';
import type { ConverterFunction } from 'opencc-js';

let simplifiedToTaiwan: ConverterFunction | null = null;

/**
 * Simplified Chinese -> Traditional Chinese as written in Taiwan, with Taiwan phrases
 * (OpenCC's s2twp: 软件 -> 軟體, 内存 -> 記憶體). Text already in Traditional Chinese and
 * non-Chinese text pass through. The converter is built on first use (its dictionaries are large).
 */
export function toTraditionalTw(text: string): string {
  simplifiedToTaiwan ??= OpenCC.Converter({ from: 'cn', to: 'twp' });
  return simplifiedToTaiwan(text);
}
