import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../fixtures/audio/${name}`, import.meta.url));

interface WavFormat {
  audioFormat: number;
  channels: number;
  sampleRateHz: number;
  bitsPerSample: number;
  dataBytes: number;
}

/** Walks the RIFF chunks of a WAV file (independent of ffprobe). */
function readWavFormat(path: string): WavFormat {
  const bytes = readFileSync(path);
  expect(bytes.toString('latin1', 0, 4)).toBe('RIFF');
  expect(bytes.toString('latin1', 8, 12)).toBe('WAVE');
  expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
  let offset = 12;
  let format: Omit<WavFormat, 'dataBytes'> | null = null;
  let dataBytes = -1;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      format = {
        audioFormat: bytes.readUInt16LE(offset + 8),
        channels: bytes.readUInt16LE(offset + 10),
        sampleRateHz: bytes.readUInt32LE(offset + 12),
        bitsPerSample: bytes.readUInt16LE(offset + 22),
      };
    }
    if (id === 'data') dataBytes = size;
    offset += 8 + size + (size % 2);
  }
  expect(format).not.toBeNull();
  return { ...format!, dataBytes };
}

describe.each([
  ['phone-zh', '0900073331'],
  ['hello-en', 'Hello, this is a short test of speech recognition.'],
])('fixtures/audio/%s', (name, truth) => {
  it('is a small 16 kHz mono 16-bit PCM WAV of speech length', () => {
    const wav = fixture(`${name}.wav`);
    expect(statSync(wav).size).toBeLessThan(200 * 1024);
    const format = readWavFormat(wav);
    expect(format).toMatchObject({ audioFormat: 1, channels: 1, sampleRateHz: 16000, bitsPerSample: 16 });
    const durationS = format.dataBytes / (16000 * 2);
    expect(durationS).toBeGreaterThan(1);
    expect(durationS).toBeLessThan(6);
  });

  it('has a truth file with exactly the spoken text', () => {
    expect(readFileSync(fixture(`${name}.txt`), 'utf8')).toBe(truth);
  });
});
