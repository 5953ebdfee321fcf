import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeResults } from '../../src/analysis/analyzeResults.js';
import { writeReport } from '../../src/report/html/writeReport.js';
import { CHROMIUM_SKIP_REASON, hasChromium, launchChromium } from './launchChromium.js';
import { cleanModel, leakingModel, plateauModel, syntheticRun, type SyntheticModel } from '../unit/report/fixtures/syntheticRun.js';

/** What the page showed, read in the browser after layout. */
interface Drawn {
  verdict: string;
  /** Per chart: its id, on-screen size, line paths with a non-empty `d`, point symbols, warm-up rectangles. */
  charts: { id: string; width: number; height: number; linePaths: number; symbols: number; rects: number }[];
  errors: string[];
  /** Requests to anything but the report's own files. */
  offline: string[];
}

/** The few DOM members read in the page. */
interface PageElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): { getBoundingClientRect(): { width: number; height: number } } | null;
  querySelectorAll(selector: string): Iterable<PageElement & { getBBox(): { width: number } }>;
}

async function open(browser: Browser, models: SyntheticModel[]): Promise<Drawn> {
  const results = syntheticRun(models, 20);
  const dir = await mkdtemp(join(tmpdir(), 'leakgate-browser-'));
  const { htmlPath } = await writeReport(results, analyzeResults(results), dir);
  const page = await browser.newPage({ viewport: { width: 960, height: 900 } });
  const errors: string[] = [];
  const offline: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    offline.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  // Folded charts still lay out their SVG; open them so their size is measured on screen.
  await page.locator('details').evaluateAll((all) => all.forEach((d) => ((d as unknown as { open: boolean }).open = true)));
  const verdict = (await page.locator('#run-verdict').textContent()) ?? '';
  // Runs in the page: the tsconfig has no DOM lib, so elements are typed structurally here.
  const charts = await page.locator('figure.chart').evaluateAll((figures) =>
    figures.map((element) => {
      const figure = element as unknown as PageElement;
      const box = figure.querySelector('svg')?.getBoundingClientRect();
      const nonEmpty = (selector: string): number =>
        [...figure.querySelectorAll(selector)].filter((p) => (p.getAttribute('d') ?? '').length > 8 && p.getBBox().width > 0).length;
      return {
        id: figure.getAttribute('data-chart') ?? '',
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        linePaths: nonEmpty('g.mark-line path'),
        symbols: nonEmpty('g.mark-symbol path'),
        rects: nonEmpty('g.mark-rect path'),
      };
    }),
  );
  await page.close();
  await rm(dir, { recursive: true, force: true });
  return { verdict, charts, errors, offline };
}

describe.skipIf(!hasChromium)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('draws every chart of a planted-leak run, offline and without errors', async () => {
    const page = await open(browser, [cleanModel(), leakingModel()]);
    expect(page.errors).toEqual([]);
    expect(page.offline).toEqual([]);
    expect(page.verdict).toBe('LEAK');
    expect(page.charts.map((c) => c.id).sort()).toEqual([
      'model_clean-heapInUse',
      'model_clean-rss',
      'model_clean-rssAnon',
      'model_leak-heapInUse',
      'model_leak-rss',
      'model_leak-rssAnon',
      'performance',
    ]);
    for (const chart of page.charts) {
      expect(chart.width, chart.id).toBeGreaterThan(300);
      expect(chart.height, chart.id).toBeGreaterThan(200);
      expect(chart.linePaths, chart.id).toBeGreaterThan(0);
    }
    const leak = page.charts.find((c) => c.id === 'model_leak-heapInUse')!;
    // 21 after-unload points (+ legend symbols); series, fit line and 4 phase lines
    expect(leak.symbols).toBeGreaterThanOrEqual(21);
    expect(leak.linePaths).toBeGreaterThanOrEqual(6);
    expect(leak.rects).toBe(0);
  }, 60_000);

  it('shades the warm-up of a plateau run', async () => {
    const page = await open(browser, [plateauModel()]);
    expect(page.errors).toEqual([]);
    expect(page.offline).toEqual([]);
    expect(page.verdict).toBe('PLATEAU');
    const heap = page.charts.find((c) => c.id === 'model_plateau-heapInUse')!;
    expect(heap.rects).toBe(2); // the warm-up, in the verdict panel and in the phases panel
  }, 60_000);
});

// Without the browser, say so in the test list instead of passing silently.
if (!hasChromium) {
  describe(`the HTML report in headless Chromium — ${CHROMIUM_SKIP_REASON}`, () => {
    it.skip('renders the report and checks every chart drew', () => {});
  });
}
