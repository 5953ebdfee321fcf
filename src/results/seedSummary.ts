import type { RunResults } from './RunResults.js';
import { summarizeRun } from './summarizeRun.js';

/** The `summary` object of the seed's results JSON, keyed and named as the seed wrote it. */
export function seedSummary(results: Pick<RunResults, 'records' | 'models'>): Record<string, unknown> {
  const summary = summarizeRun(results);
  return {
    ...Object.fromEntries(
      summary.models.map((model) => [
        model.modelKey,
        {
          avg_load_overhead_mb: model.meanLoadOverheadMb,
          avg_unload_release_mb: model.meanUnloadReleaseMb,
          avg_net_leak_mb: model.meanNetLeakMb,
          avg_ttft_ms: model.ttftMs.mean,
          avg_speed_chars_per_sec: model.charsPerSecond.mean,
          avg_wer_percent: model.werPercent.mean,
        },
      ]),
    ),
    overall: {
      initial_memory_mb: summary.initialMemoryMb,
      final_memory_mb: summary.finalMemoryMb,
      total_growth_mb: summary.totalGrowthMb,
      growth_rate_mb_per_iter: summary.growthRateMbPerIteration,
    },
  };
}
