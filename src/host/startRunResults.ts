import { engineParams } from '../config/engineParams.js';
import type { RunConfig } from '../config/RunConfig.js';
import { LEAKGATE_VERSION } from '../leakgatePackage.js';
import type { EngineInfo, RunResults } from '../results/RunResults.js';

/** The results of a run that is about to start: its configuration and engine, no records yet. */
export function startRunResults(config: RunConfig, engine: EngineInfo): RunResults {
  return {
    leakgateVersion: LEAKGATE_VERSION,
    scenario: config.scenario,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
    failure: null,
    iterationsPlanned: config.iterations,
    stopping: { ...config.stopRule, reason: null },
    config: {
      threads: config.threads,
      contextLength: config.contextLength,
      language: config.language,
      audioPath: config.audioPath,
      truth: config.truth,
      trim: config.trim,
      mmapThresholdBytes: config.mmapThresholdBytes,
      engineParams: engineParams('MODEL', config),
    },
    engine,
    ffmpeg: config.ffmpeg.found,
    models: config.models.map(({ timeoutsMs: _timeouts, ...model }) => model),
    records: [],
  };
}
