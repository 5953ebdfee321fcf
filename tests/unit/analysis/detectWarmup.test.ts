import { describe, expect, it } from 'vitest';
import { detectWarmup } from '../../../src/analysis/detectWarmup.js';
import { theilSen } from '../../../src/analysis/theilSen.js';
import { gaussian, mulberry32 } from './fixtures/mulberry32.js';
import { KIB, MIB } from '../../../src/units.js';

const noisy = (seed: number, sigmaBytes: number, f: (i: number) => number, n: number) => {
  const normal = gaussian(mulberry32(seed));
  return Array.from({ length: n }, (_, i) => 100 * MIB + f(i) + normal() * sigmaBytes);
};

describe('detectWarmup', () => {
  it('finds no warm-up in a clean flat series (200 seeded trials)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const w = detectWarmup(noisy(seed, 12 * KIB, () => 0, 30));
      expect(w.warmupPoints).toBe(0);
    }
  });

  it('puts the warm-up at the step index of a step then flat', () => {
    const series = Array.from({ length: 20 }, (_, i) => (i < 3 ? 10 * MIB : 50 * MIB));
    const w = detectWarmup(series);
    expect(w.warmupPoints).toBe(3);
    expect(w.growthBytes).toBeCloseTo(40 * MIB, 0);
  });

  it('finds a step at the very first switch', () => {
    const series = [0, ...Array.from({ length: 12 }, () => 8 * MIB)];
    expect(detectWarmup(series).warmupPoints).toBe(1);
  });

  it('puts the warm-up at K for a K-point ramp then flat, with noise (K = 6)', () => {
    const ramp = (i: number) => Math.min(i, 6) * MIB;
    expect(detectWarmup(Array.from({ length: 25 }, (_, i) => ramp(i))).warmupPoints).toBe(6);
    for (let seed = 1; seed <= 50; seed++) {
      const w = detectWarmup(noisy(seed, 16 * KIB, ramp, 25));
      expect(w.warmupPoints).toBeGreaterThanOrEqual(5);
      expect(w.warmupPoints).toBeLessThanOrEqual(6);
    }
  });

  it('keeps a steady linear leak whole: warm-up 0 (200 seeded trials, noise up to 4x the slope)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      expect(detectWarmup(noisy(seed, 256 * KIB, (i) => i * 64 * KIB, 30)).warmupPoints).toBe(0);
      expect(detectWarmup(Array.from({ length: 30 }, (_, i) => i * 4 * KIB)).warmupPoints).toBe(0);
    }
  });

  it('cuts a fast ramp but leaves the slower leak after it to be measured', () => {
    const f = (i: number) => (i < 6 ? i * MIB : 6 * MIB + (i - 6) * 32 * KIB);
    const series = noisy(7, 2 * KIB, f, 30);
    const w = detectWarmup(series);
    expect(w.warmupPoints).toBeGreaterThanOrEqual(5);
    expect(w.warmupPoints).toBeLessThanOrEqual(6);
    const tail = series.slice(w.warmupPoints);
    const fit = theilSen(
      tail.map((_, j) => j),
      tail,
    );
    expect(fit.slope).toBeCloseTo(32 * KIB, -3); // within ±500 bytes of the planted 32 KiB/switch
  });

  it('ignores a lone downward outlier late in a series', () => {
    const series = Array.from({ length: 30 }, (_, i) => (i === 20 ? 90 * MIB : 100 * MIB));
    expect(detectWarmup(series).warmupPoints).toBe(0);
  });

  it('needs more than minTailPoints samples to cut anything', () => {
    expect(detectWarmup([0, 50 * MIB, 50 * MIB, 50 * MIB, 50 * MIB]).warmupPoints).toBe(0);
    expect(detectWarmup([0, 50 * MIB, 50 * MIB, 50 * MIB, 50 * MIB, 50 * MIB]).warmupPoints).toBe(1);
  });
});
