import type { RunResults } from '../results/RunResults.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/**
 * What a switch's time is made of, averaged over the run: the engine's load, transcription and unload
 * (timed in the worker around each call), and leakgate's own share — the run's wall time less those:
 * probes, the journal, the worker's start, the verdicts an until-decided run takes after each iteration
 * (and, in a run that failed, the switch that failed: it has no record). null for a run with no switch
 * or no end time (a file still `running`).
 */
export function formatSwitchTime(results: Pick<RunResults, 'records' | 'startedAt' | 'finishedAt' | 'failure'>): string | null {
  const switches = results.records.length;
  if (switches === 0 || results.finishedAt === null) return null;
  const wallMs = Date.parse(results.finishedAt) - Date.parse(results.startedAt);
  if (!Number.isFinite(wallMs) || wallMs <= 0) return null;
  const sum = (pick: (r: RunResults['records'][number]) => number): number => results.records.reduce((total, r) => total + pick(r), 0);
  const loadMs = sum((r) => r.loadMs);
  const inferMs = sum((r) => r.inferMs);
  const unloadMs = sum((r) => r.unloadMs);
  const ownMs = Math.max(0, wallMs - loadMs - inferMs - unloadMs);
  const share = (ms: number): string => `${seconds(ms / switches)} (${Math.round((100 * ms) / wallMs)} %)`;
  return (
    `Time per switch: ${seconds(wallMs / switches)} over ${switches} switches = load ${share(loadMs)} + transcribe ${share(inferMs)} ` +
    `+ unload ${share(unloadMs)} + leakgate ${share(ownMs)} (probes, journal, worker start, verdicts` +
    `${results.failure ? ', and the switch that failed' : ''})`
  );
}
