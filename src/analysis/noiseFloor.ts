import type { Signal } from './Signal.js';
import { KIB } from '../units.js';

/**
 * The engine-heap floor: half a byte per switch. The allocation ledger counts whole bytes exactly and
 * nothing else moves them, so any steady rise of one byte per switch lies above it.
 */
export const EXACT_FLOOR_BYTES_PER_SWITCH = 0.5;

/**
 * The smallest growth per switch the verdict will ever call a leak, per signal.
 * - heapInUse, 4 KiB/switch: mallinfo2 counts the whole worker, and the worker's own Node runtime keeps
 *   growing its malloc'd memory by 0.5-3 KiB per switch over the first switches before it levels off
 *   (measured with the sampling loop alone, no engine calls). At 1 KiB/switch a clean model was called
 *   a leak in 25 % of 5-switch runs; at 4 KiB/switch in none, and a 4 KiB/switch leak is still found.
 * - rssAnon and rss, 64 KiB/switch: RSS moves in 4 KiB pages, glibc keeps and reuses freed pages and
 *   the kernel faults mmapped model pages in and out, so sixteen pages per switch is the least that is
 *   not plausibly page churn.
 * - outsideMalloc, 256 KiB/switch: it holds the worker's JS heap, which V8 grows and shrinks in 256 KiB
 *   pages (measured: steps of one or two such pages between switches on a clean reference run).
 */
export const MINIMUM_FLOOR_BYTES_PER_SWITCH: Readonly<Record<Signal, number>> = {
  // Exact: the ledger counts the engine's bytes as requested, so a change of one byte is real.
  engineHeap: EXACT_FLOOR_BYTES_PER_SWITCH,
  heapInUse: 4 * KIB,
  outsideMalloc: 256 * KIB,
  rssAnon: 64 * KIB,
  rss: 64 * KIB,
};

/**
 * Standard errors of the slope the data-driven term asks for. The Theil–Sen interval assumes
 * independent noise; memory samples are autocorrelated (allocator state carries over between switches),
 * which makes that interval too narrow, so a leak must also clear 3 standard errors computed without
 * that assumption (see noiseFloor).
 */
export const FLOOR_STANDARD_ERRORS = 3;

/** The variance of a least-squares slope fitted to a random walk of m steps is ≈ (6/5)·σ²/m. */
const WALK_SLOPE_VARIANCE_FACTOR = 6 / 5;

export interface NoiseScatter {
  /** Scatter of each sample around the window's line (robustNoiseSigma). */
  levelSigmaBytes: number;
  /** Spread of the switch-to-switch changes (stepSigma). */
  stepSigmaBytes: number;
  /** Samples in the window (switches spanned + 1). */
  points: number;
  /**
   * The step noise the falls show (fallSigma), which a rising trend cannot inflate; it caps both
   * scatters in the clean floor (see noiseFloor). Omitted: the clean floor is the floor.
   */
  fallSigmaBytes?: number;
}

export interface NoiseFloor {
  /** max(minimumBytesPerSwitch, dataBytesPerSwitch): a slope CI must lie wholly above this to be a leak. */
  floorBytesPerSwitch: number;
  minimumBytesPerSwitch: number;
  /** FLOOR_STANDARD_ERRORS standard errors of the slope under the measured noise. */
  dataBytesPerSwitch: number;
  /**
   * The equivalence margin: a slope CI must lie wholly below this to be clean. The same formula with the
   * scatters capped by what the falls show, so it is ≤ floorBytesPerSwitch and cannot grow with a climb.
   */
  cleanFloorBytesPerSwitch: number;
}

/**
 * The noise floor, in bytes per switch, for a window of m consecutive samples. The data-driven term is
 * FLOOR_STANDARD_ERRORS standard errors of a fitted slope,
 *   SE² = σ_level²/Sxx + (6/5)·σ_step²/(m − 1),   Sxx = m(m²−1)/12,
 * the least-squares slope error under independent scatter around the line plus that under a random walk
 * whose steps spread by σ_step. The walk part is deliberately pessimistic: allocator state carries over
 * between switches (what was retained stays until reused or trimmed), and a series rebuilt from per-switch
 * changes is a random walk, and on such data a trend test that assumes independent scatter finds
 * trends in pure noise. On page-level RSS noise (σ of a few pages) it stays below the 64 KiB minimum;
 * it only bites when RSS jumps by megabytes between switches, where a modest RSS-only trend cannot be
 * told from allocator drift anyway. On exact heap data both σ are 0 and the minimum decides.
 *
 * A floor may not grow with the trend it judges. An irregular climb (steps of 35, 410, 12, 380 MiB …)
 * has a wide step spread, and a floor built from it rises with the climb (the seed's 1.7B RSS,
 * 751 → 2,806 MiB over 10 iterations, got a 233 MiB/switch floor that way, and was called clean).
 * The two tests therefore use two floors, each erring on its own safe side:
 * - the leak test uses floorBytesPerSwitch, from the full scatter: too high a floor only turns a leak
 *   undecided, and lowering it would let carried-over allocator drift pass for a leak (a ±1.5 MiB
 *   random walk on RSS: 0.4 % false leaks over 2000 seeds with the capped floor, against 0.16 %);
 * - the clean test uses cleanFloorBytesPerSwitch: the scatters capped by the falls (σ_step at
 *   fallSigmaBytes, σ_level at it / √2, as independent scatter σ spreads the changes by √2·σ). Noise
 *   that is symmetric shows itself in the falls as much as in the rises; a trend cannot make a series
 *   fall, so this margin cannot grow with the climb it judges. On flat noise it is about the floor.
 * Between the two, a signal is undecided.
 * minimumBytesPerSwitch overrides MINIMUM_FLOOR_BYTES_PER_SWITCH[signal].
 */
export function noiseFloor(
  signal: Signal,
  scatter: NoiseScatter,
  minimumBytesPerSwitch: number = MINIMUM_FLOOR_BYTES_PER_SWITCH[signal],
): NoiseFloor {
  const cap = scatter.fallSigmaBytes ?? Infinity;
  const data = slopeStandardErrors(scatter.points, scatter.levelSigmaBytes, scatter.stepSigmaBytes);
  const cleanData = slopeStandardErrors(
    scatter.points,
    Math.min(scatter.levelSigmaBytes, cap / Math.SQRT2),
    Math.min(scatter.stepSigmaBytes, cap),
  );
  return {
    floorBytesPerSwitch: Math.max(minimumBytesPerSwitch, data),
    minimumBytesPerSwitch,
    dataBytesPerSwitch: data,
    cleanFloorBytesPerSwitch: Math.max(minimumBytesPerSwitch, cleanData),
  };
}

/** FLOOR_STANDARD_ERRORS · √(σ_level²/Sxx + (6/5)·σ_step²/(m − 1)) for m points. */
function slopeStandardErrors(m: number, levelSigmaBytes: number, stepSigmaBytes: number): number {
  const sxx = (m * (m * m - 1)) / 12;
  const levelVariance = sxx > 0 ? levelSigmaBytes ** 2 / sxx : 0;
  const walkVariance = m > 1 ? (WALK_SLOPE_VARIANCE_FACTOR * stepSigmaBytes ** 2) / (m - 1) : 0;
  return FLOOR_STANDARD_ERRORS * Math.sqrt(levelVariance + walkVariance);
}
