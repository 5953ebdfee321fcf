import { fromRunResults } from '../../analysis/fromRunResults.js';
import type { Signal } from '../../analysis/Signal.js';
import type { Analysis } from '../../analysis/analyzeResults.js';
import type { RunResults } from '../../results/RunResults.js';
import { performanceSpec } from './performanceSpec.js';
import { renderSvg } from './renderSvg.js';
import { SIGNAL_NAMES } from '../../analysis/Signal.js';
import { signalTimelines } from './signalTimelines.js';
import { timelineSpec } from './timelineSpec.js';

/** One chart of a report, rendered. */
export interface RenderedChart {
  /** Unique within the report, safe in file names and HTML ids. */
  id: string;
  /** `<id>.svg`, the standalone copy written next to the HTML. */
  fileName: string;
  title: string;
  /** Null for run-wide charts (TTFT, speed, WER). */
  modelKey: string | null;
  signal: Signal | null;
  /** The chart of the signal that decided its model's verdict. */
  deciding: boolean;
  svg: string;
}

const slug = (text: string): string => text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+/, '') || 'model';

/** Every chart of a report: a memory timeline per judged signal per model, then TTFT, speed and WER. */
export async function renderCharts(results: RunResults, analysis: Analysis): Promise<RenderedChart[]> {
  const charts: RenderedChart[] = [];
  const used = new Set<string>();
  const uniqueId = (base: string): string => {
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  };
  for (const timeline of signalTimelines(results, fromRunResults(results), analysis.judgement.models)) {
    const id = uniqueId(`${slug(timeline.modelKey)}-${timeline.signal}`);
    charts.push({
      id,
      fileName: `${id}.svg`,
      title: `${timeline.label}: ${SIGNAL_NAMES[timeline.signal]}`,
      modelKey: timeline.modelKey,
      signal: timeline.signal,
      deciding: timeline.deciding,
      svg: await renderSvg(timelineSpec(timeline), id),
    });
  }
  const performance = performanceSpec(results);
  if (performance) {
    const id = uniqueId('performance');
    charts.push({
      id,
      fileName: `${id}.svg`,
      title: 'TTFT, speed and WER per iteration',
      modelKey: null,
      signal: null,
      deciding: false,
      svg: await renderSvg(performance, id),
    });
  }
  return charts;
}
