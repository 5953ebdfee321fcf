import { makeFolder } from '../../files/makeFolder.js';
import { join, resolve } from 'node:path';
import type { Analysis } from '../../analysis/analyzeResults.js';
import type { RunResults } from '../../results/RunResults.js';
import { renderCharts } from '../charts/renderCharts.js';
import { reportHtml } from './reportHtml.js';
import { REPORT_HTML_NAME } from '../reportFileNames.js';
import { writeTextAtomic } from '../../files/writeJsonAtomic.js';

/**
 * Writes the report into `dir` (created if missing): report.html, self-contained (charts inlined as
 * SVG, no network at view time), and every chart again as a standalone SVG file for issues. Each file is
 * replaced by rename, never written through a link or into a file another name shares.
 * Returns the absolute paths written.
 */
export async function writeReport(results: RunResults, analysis: Analysis, dir: string): Promise<{ htmlPath: string; svgPaths: string[] }> {
  const root = resolve(dir);
  await makeFolder(root);
  const charts = await renderCharts(results, analysis);
  const svgPaths: string[] = [];
  for (const chart of charts) {
    const path = join(root, chart.fileName);
    await writeTextAtomic(path, `<?xml version="1.0" encoding="UTF-8"?>\n${chart.svg}\n`, 'report chart');
    svgPaths.push(path);
  }
  const htmlPath = join(root, REPORT_HTML_NAME);
  await writeTextAtomic(htmlPath, reportHtml(results, analysis, charts), 'report');
  return { htmlPath, svgPaths };
}
