import { describe, expect, it } from 'vitest';
import { noiseFloor } from '../../../src/analysis/noiseFloor.js';
import { differenceSigma, fallSigma, robustNoiseSigma, robustSpread, stepSigma } from '../../../src/analysis/noiseSigma.js';
import { MIB } from '../../../src/units.js';

describe('noiseFloor', () => {
  it('falls back to the fixed minimum on exact data', () => {
    const floor = noiseFloor('heapInUse', { levelSigmaBytes: 0, stepSigmaBytes: 0, points: 10 });
    expect(floor.floorBytesPerSwitch).toBe(4096);
    expect(floor.dataBytesPerSwitch).toBe(0);
  });

  it('is 3·√(σ_level²/Sxx + 1.2·σ_step²/(m−1)) when that exceeds the minimum (worked by hand)', () => {
    // m = 10: Sxx = 10·99/12 = 82.5; 3·√(1000²/82.5 + 1.2·4000²/9) = 4394.211067881345
    // (python: 3*math.sqrt(1000**2/82.5 + 1.2*4000**2/9)).
    const floor = noiseFloor('heapInUse', { levelSigmaBytes: 1000, stepSigmaBytes: 4000, points: 10 });
    expect(floor.dataBytesPerSwitch).toBeCloseTo(4394.211067881345, 6);
    expect(floor.floorBytesPerSwitch).toBeCloseTo(4394.211067881345, 6);
  });

  it('keeps the minimum when the data term is smaller, and honours an override', () => {
    // page noise: σ_level 32 KiB, σ_step 45 KiB over 31 samples → 3·√(32768²/2480 + 1.2·46080²/30) ≈ 27.3 KiB
    const scatter = { levelSigmaBytes: 32768, stepSigmaBytes: 46080, points: 31 };
    expect(noiseFloor('rssAnon', scatter).floorBytesPerSwitch).toBe(64 * 1024);
    expect(noiseFloor('rssAnon', scatter, 100).floorBytesPerSwitch).toBeCloseTo(
      3 * Math.sqrt(32768 ** 2 / 2480 + (1.2 * 46080 ** 2) / 30),
      6,
    );
  });
});

// References: numpy/scipy on the same lists (median_abs_deviation(scale='normal'), np.median, sums by hand).
describe('noiseFloor: the clean floor cannot grow with a climb', () => {
  it('is the floor without a fall estimate, and on data whose falls show all its scatter', () => {
    const scatter = { levelSigmaBytes: 1000, stepSigmaBytes: 4000, points: 10 };
    expect(noiseFloor('heapInUse', scatter).cleanFloorBytesPerSwitch).toBe(noiseFloor('heapInUse', scatter).floorBytesPerSwitch);
    expect(noiseFloor('heapInUse', { ...scatter, fallSigmaBytes: 5000 }).cleanFloorBytesPerSwitch).toBeCloseTo(4394.211067881345, 6);
  });

  it('caps σ_step at what the falls show (worked by hand)', () => {
    // m = 11, σ_step 10 MiB, falls 2 MiB: floor 3·√(1.2·(10 MiB)²/10) = 10,897,121 B (10.39 MiB);
    // clean floor 3·√(1.2·(2 MiB)²/10) = 2,179,424 B (python: 3*math.sqrt(1.2*(2*2**20)**2/10))
    const floor = noiseFloor('rss', { levelSigmaBytes: 0, stepSigmaBytes: 10 * MIB, points: 11, fallSigmaBytes: 2 * MIB });
    expect(floor.floorBytesPerSwitch).toBeCloseTo(10897121.446, 2);
    expect(floor.cleanFloorBytesPerSwitch).toBeCloseTo(2179424.289, 2);
  });

  it('caps σ_level at the falls over √2 (independent scatter σ spreads the changes by √2·σ)', () => {
    // m = 11, Sxx = 110: floor 3·4 MiB/√110 = 1,199,734 B; clean 3·(2 MiB/√2)/√110 = 424,170 B
    const floor = noiseFloor('rss', { levelSigmaBytes: 4 * MIB, stepSigmaBytes: 0, points: 11, fallSigmaBytes: 2 * MIB });
    expect(floor.floorBytesPerSwitch).toBeCloseTo(1199733.586, 2);
    expect(floor.cleanFloorBytesPerSwitch).toBeCloseTo(424169.877, 2);
  });

  it('never goes below the minimum, and a series that never fell gets only the minimum', () => {
    const floor = noiseFloor('rss', { levelSigmaBytes: 4 * MIB, stepSigmaBytes: 10 * MIB, points: 11, fallSigmaBytes: 0 });
    expect(floor.cleanFloorBytesPerSwitch).toBe(64 * 1024);
    expect(floor.floorBytesPerSwitch).toBeGreaterThan(10 * MIB);
  });
});

describe('noise sigma estimators', () => {
  it('fallSigma is √(2·Σ min(Δ, 0)² / count(Δ)), blind to rises', () => {
    // changes +3, −2, +3, −2: 2·(4 + 4)/4 = 4 → 2
    expect(fallSigma([0, 3, 1, 4, 2])).toBeCloseTo(2, 12);
    // the same falls between far bigger rises: the same estimate
    expect(fallSigma([0, 300, 298, 598, 596])).toBeCloseTo(2, 12);
    expect(fallSigma([1, 2, 3])).toBe(0);
    expect(fallSigma([5])).toBe(0);
  });

  it('differenceSigma is the normal-scaled MAD of successive differences over √2', () => {
    expect(differenceSigma([10, 11, 13, 12, 16])).toBeCloseTo(1.572537123761296, 12);
    expect(differenceSigma([5])).toBe(0);
  });

  it('differenceSigma ignores a linear trend', () => {
    const trend = [10, 11, 13, 12, 16].map((v, i) => v + 1000 * i);
    expect(differenceSigma(trend)).toBeCloseTo(1.572537123761296, 9);
  });

  it('robustNoiseSigma takes the larger of the residual MAD and the difference estimate', () => {
    expect(robustNoiseSigma([7, 7, 7, 7, 7], [-3, -1, 0, 1, 3])).toBeCloseTo(1.482602218505602, 12);
    expect(robustNoiseSigma([10, 11, 13, 12, 16], [0, 0, 0, 0, 0])).toBeCloseTo(1.572537123761296, 12);
  });

  it('robustSpread takes the clipped standard deviation when the MAD comes out small', () => {
    // values 3 −1 4 1 −5 9 2 −6 5 3: median 2.5, MAD·1.4826 = 2.965204437011204, clip 8.8956;
    // clipped squared deviations sum to 192.5 → √(192.5/9) = 4.648775226993784
    expect(robustSpread([3, -1, 4, 1, -5, 9, 2, -6, 5, 3])).toBeCloseTo(4.648775226993784, 12);
  });

  it('robustSpread is not moved by a lone spike in exact data', () => {
    expect(robustSpread([0, 0, 0, 0, 1e6, 0, 0, 0])).toBe(0);
    expect(robustSpread([])).toBe(0);
  });

  it('stepSigma is robustSpread of the successive changes, blind to a trend', () => {
    // cumulative sums of the list above, from 100, plus 50 bytes per switch of trend
    const walk = [100, 103, 102, 106, 107, 102, 111, 113, 107, 112, 115].map((v, i) => v + 50 * i);
    expect(stepSigma(walk)).toBeCloseTo(4.648775226993784, 9);
    expect(stepSigma([42])).toBe(0);
  });
});
