import { fromSeedResults, seedProcessLevels } from '../analysis/fromSeedResults.js';
import type { ModelSeries, ProcessLevels } from '../analysis/Signal.js';
import { LeakgateError, usageError } from '../errors.js';
import { readJsonFile } from '../files/readJsonFile.js';
import { refuseNonRegularFile } from '../files/fileKind.js';
import { fromResultsJson } from '../results/resultsFile.js';
import type { RunResults } from '../results/RunResults.js';
import { validateResultsJson } from '../results/validateResultsJson.js';
import { readResultsJournal } from '../results/readResultsJournal.js';
import { untrustedText } from '../untrustedText.js';

const RESULTS_FILE = {
  what: 'results file',
  fix: "pass a results file written by leakgate run or the seed's run_model_switch.py",
  // ~1.5 KB per switch: 100,000 switches is ~150 MB.
  maxBytes: 512 * 1024 * 1024,
};

/** A results file as read: leakgate's own (every probe), or the seed's (RSS in MB only). */
export type ResultsFile =
  | { format: 'leakgate'; results: RunResults }
  | { format: 'seed'; series: ModelSeries[]; processLevels: ProcessLevels; iterations: number };

/**
 * Reads leakgate's results JSON or the seed's model_switch_results.json; one-line usage errors otherwise.
 * A run's journal beside the file, not older than it, is read instead: the run is still measuring or its
 * process died (status `running`), and what it measured so far is shown. The names it prints come back
 * made printable (printableNames).
 */
export async function readResultsFile(path: string): Promise<ResultsFile> {
  const file = await readResultsFileAsWritten(path);
  if (file.format === 'leakgate') return { ...file, results: printableNames(file.results) };
  return { ...file, series: file.series.map((series) => ({ ...series, label: untrustedText(series.label) })) };
}

/**
 * The run with the names read back that leakgate prints (model labels, model and engine paths) passed
 * through untrustedText: anyone can write a results file, and a label starts explanation lines. A name
 * leakgate wrote itself ("0.6B", "qwen3-asr-0.6b-q4_0", "模型", "/models/a.bin") comes back as it was.
 */
function printableNames(results: RunResults): RunResults {
  return {
    ...results,
    engine: { ...results.engine, path: untrustedText(results.engine.path) },
    models: results.models.map((model) => ({ ...model, label: untrustedText(model.label), path: untrustedText(model.path) })),
  };
}

async function readResultsFileAsWritten(path: string): Promise<ResultsFile> {
  await refuseNonRegularFile(path, 'results file', 'pass the path of a results JSON written by leakgate run');
  const journalled = await readResultsJournal(path);
  if (journalled) return { format: 'leakgate', results: journalled };
  let json: unknown;
  try {
    json = await readJsonFile(path, RESULTS_FILE);
  } catch (error) {
    if (error instanceof LeakgateError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(
      code === 'ENOENT'
        ? `results file not found: ${path} (run leakgate run first, or pass the path of a results JSON)`
        : `cannot read ${path}: ${code ?? String(error)}`,
    );
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && 'leakgate' in json) {
    // leakgate's own file: every field checked before anything reads it (null probes must not read as 0).
    validateResultsJson(json as Record<string, unknown>, path);
    return { format: 'leakgate', results: fromResultsJson(json as Record<string, unknown>)! };
  }
  const series = fromSeedResults(json, path);
  return { format: 'seed', series, processLevels: seedProcessLevels(json, path), iterations: series[0]?.afterUnloadBytes.rss?.length ?? 0 };
}

/**
 * A results file leakgate wrote: the seed's (RSS only) is refused with a usage error saying what the
 * command needs it for, e.g. "not enough to gate on".
 */
export async function readLeakgateResults(path: string, seedCannot: string): Promise<RunResults> {
  const file = await readResultsFile(path);
  if (file.format !== 'leakgate') {
    throw usageError(
      `${path} is a seed results file: it has RSS only, ${seedCannot} (use leakgate analyze for its verdict, or rerun with leakgate run)`,
    );
  }
  return file.results;
}
