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
 */
export const MINIMUM_FLOOR_BYTES_PER_SWITCH: Readonly<Record<Signal, number>> = {
  // Exact: the ledger counts the engine's bytes as requested, so a change of one byte is real.
  engineHeap: EXACT_FLOOR_BYTES_PER_SWITCH,
  heapInUse: 4 * KIB,
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
}

export interface NoiseFloor {
  /** max(minimumBytesPerSwitch, dataBytesPerSwitch): a slope CI must lie wholly above this to be a leak. */
  floorBytesPerSwitch: number;
  minimumBytesPerSwitch: number;
  /** FLOOR_STANDARD_ERRORS standard errors of the slope under the measured noise. */
  dataBytesPerSwitch: number;
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
 * minimumBytesPerSwitch overrides MINIMUM_FLOOR_BYTES_PER_SWITCH[signal].
 */
export function noiseFloor(
  signal: Signal,
  scatter: NoiseScatter,
  minimumBytesPerSwitch: number = MINIMUM_FLOOR_BYTES_PER_SWITCH[signal],
): NoiseFloor {
  const m = scatter.points;
  const sxx = (m * (m * m - 1)) / 12;
  const levelVariance = sxx > 0 ? scatter.levelSigmaBytes ** 2 / sxx : 0;
  const walkVariance = m > 1 ? (WALK_SLOPE_VARIANCE_FACTOR * scatter.stepSigmaBytes ** 2) / (m - 1) : 0;
  const data = FLOOR_STANDARD_ERRORS * Math.sqrt(levelVariance + walkVariance);
  return {
    floorBytesPerSwitch: Math.max(minimumBytesPerSwitch, data),
    minimumBytesPerSwitch,
    dataBytesPerSwitch: data,
  };
}
