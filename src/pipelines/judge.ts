/**
 * The judging tail every verb shares: analyse → gate → reporters. `run` and `baseline update` judge
 * what they measured; `analyze`, `gate` and `report` read a results file first.
 */
import { resolve } from 'node:path';
import { judgeRun } from '../analysis/judgeRun.js';
import { readLeakgateResults, readResultsFile } from './readResultsFile.js';
import { analyzeResults, type Analysis } from '../analysis/analyzeResults.js';
import { baselinePath, resolveBaselinesDir } from '../gate/baselinePath.js';
import { evaluateGate, type GateOutcome } from '../gate/evaluateGate.js';
import { readBaseline } from '../gate/readBaseline.js';
import type { LeakgateIO } from '../LeakgateIO.js';
import { checkJobSummary } from '../report/appendJobSummary.js';
import { checkReportDir } from '../report/checkReportDir.js';
import { journalPathOf } from '../results/ResultsJournal.js';
import { formatSeedVerdict } from '../report/formatSeedVerdict.js';
import { jsonVerdict } from '../report/jsonSummary.js';
import { createReporters, reportEnd, type Reporter } from '../report/reporters.js';
import type { RunResults } from '../results/RunResults.js';

export interface Judging {
  /**
   * Gate the results: on the baseline given by hand (it must exist), else on the default one for these
   * results (it may be absent: nothing is tolerated). `read: false` gates on no baseline at all
   * (`baseline update` must not read the file it replaces). `baselinesDir` is the folder the default
   * baseline lives in (resolveBaselinesDir). Absent: no gate (`analyze`, `report`).
   */
  gate?: { baseline: string | null; read: boolean; baselinesDir: string };
  reporters: readonly Reporter[];
}

export interface Judged {
  analysis: Analysis;
  gate: GateOutcome | null;
  /** The baseline gated on (or that would be, when not read); null without a gate. */
  baselineFile: string | null;
}

/** Analyses the results, gates them when asked, and tells the reporters. */
export async function judge(results: RunResults, judging: Judging): Promise<Judged> {
  const analysis = analyzeResults(results);
  let gate: GateOutcome | null = null;
  let baselineFile: string | null = null;
  if (judging.gate) {
    const { baseline: explicit, read, baselinesDir } = judging.gate;
    baselineFile = explicit ?? baselinePath(baselinesDir, results);
    const baseline = read ? await readBaseline(baselineFile, explicit !== null) : null;
    gate = evaluateGate(results, analysis, baseline, baselineFile);
  }
  // A baseline not read (baseline update replaces it) is no missing file: the reporters are not told of one.
  const reportedBaseline = judging.gate?.read === false ? null : baselineFile;
  await reportEnd(judging.reporters, { results, analysis, gate, baselineFile: reportedBaseline });
  return { analysis, gate, baselineFile };
}

/** `leakgate analyze FILE`: leakgate's results judged as `run` judges them; the seed's judged from its RSS. */
export async function analyze(file: string, options: { json: boolean }, io: LeakgateIO): Promise<void> {
  const read = await readResultsFile(resolve(io.cwd, file));
  if (read.format === 'leakgate') {
    await judge(read.results, { reporters: createReporters([options.json ? 'json' : 'console'], io, { verbose: false, reportDir: null }) });
    return;
  }
  const judgement = judgeRun(read.series, { process: read.processLevels });
  if (options.json) {
    const { verdict, byModel } = jsonVerdict(judgement);
    const models = read.series.map((s) => ({ key: s.modelKey, label: s.label, verdict: byModel.get(s.modelKey) }));
    io.out(`${JSON.stringify({ format: 'seed', iterations: read.iterations, verdict, models, process: judgement.process }, null, 2)}\n`);
  } else {
    io.out(formatSeedVerdict(judgement, read.series, read.processLevels));
  }
}

/** `leakgate gate FILE`: the results judged against their baseline, the verdict table in the job summary. */
export async function gate(
  file: string,
  options: { baseline?: string; baselinesDir?: string; json: boolean },
  io: LeakgateIO,
): Promise<{ results: RunResults; gate: GateOutcome }> {
  const resultsPath = resolve(io.cwd, file);
  const given = options.baseline === undefined ? [] : [{ what: 'baseline', path: resolve(io.cwd, options.baseline) }];
  checkJobSummary(io.env, io.cwd, [
    { what: 'results file', path: resultsPath },
    { what: 'results journal', path: journalPathOf(resultsPath) },
    ...given,
  ]);
  const results = await readLeakgateResults(resultsPath, 'not enough to gate on');
  const reporters = createReporters(['console', 'github-summary', ...(options.json ? ['json' as const] : [])], io, {
    verbose: false,
    reportDir: null,
  });
  const baseline = options.baseline === undefined ? null : resolve(io.cwd, options.baseline);
  const judged = await judge(results, {
    gate: { baseline, read: true, baselinesDir: resolveBaselinesDir(io.cwd, options.baselinesDir) },
    reporters,
  });
  return { results, gate: judged.gate! };
}

/** `leakgate report FILE`: the HTML report and SVG charts of a results file. */
export async function report(file: string, options: { outDir: string }, io: LeakgateIO): Promise<void> {
  const resultsPath = resolve(io.cwd, file);
  const dir = resolve(io.cwd, options.outDir);
  await checkReportDir(dir, '-o', [
    { what: 'results file', path: resultsPath },
    { what: 'results journal', path: journalPathOf(resultsPath) },
  ]);
  const results = await readLeakgateResults(resultsPath, 'not the phases a report charts');
  await judge(results, { reporters: createReporters(['html'], io, { verbose: false, reportDir: dir }) });
}
