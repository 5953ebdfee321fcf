/**
 * Writes the README's report screenshots: the top of the HTML report (header, then the worst
 * model's verdict, evidence and deciding chart) of each results file given.
 *
 *   npx tsx tests/browser/captureReportScreenshots.ts leak.json docs/report-leak.png plateau.json docs/report-plateau.png
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeResults } from '../../src/analysis/analyzeResults.js';
import { writeReport } from '../../src/report/html/writeReport.js';
import { readResultsFile } from '../../src/pipelines/readResultsFile.js';
import { launchChromium } from './launchChromium.js';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.error('usage: captureReportScreenshots.ts RESULTS.json OUT.png [RESULTS.json OUT.png ...]');
  process.exit(2);
}
const browser = await launchChromium();
try {
  for (let i = 0; i < args.length; i += 2) {
    const file = await readResultsFile(resolve(args[i]!));
    if (file.format !== 'leakgate') throw new Error(`${args[i]} is not a leakgate results file`);
    const dir = await mkdtemp(join(tmpdir(), 'leakgate-report-'));
    const { htmlPath } = await writeReport(file.results, analyzeResults(file.results), dir);
    const page = await browser.newPage({ viewport: { width: 940, height: 1000 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(htmlPath).href);
    const figure = await page.locator('section.model').first().locator('figure').first().boundingBox();
    if (!figure) throw new Error(`no chart in the report of ${args[i]}`);
    await page.screenshot({
      path: resolve(args[i + 1]!),
      fullPage: true,
      clip: { x: 0, y: 0, width: 940, height: Math.ceil(figure.y + figure.height + 12) },
    });
    await page.close();
    console.log(`${args[i + 1]}: ${htmlPath}`);
  }
} finally {
  await browser.close();
}
