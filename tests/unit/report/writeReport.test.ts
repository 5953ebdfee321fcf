import type { LeakgateIO } from '../../../src/LeakgateIO.js';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../../src/cli/commands/report.js';
import type { CountFinding } from '../../../src/analysis/judgeCounts.js';
import { LeakgateError } from '../../../src/errors.js';
import { analyzeResults, type Analysis } from '../../../src/analysis/analyzeResults.js';
import { writeReport } from '../../../src/report/html/writeReport.js';
import { toResultsJson } from '../../../src/results/resultsFile.js';
import type { RunResults } from '../../../src/results/RunResults.js';
import { cleanModel, leakingModel, syntheticRun } from './fixtures/syntheticRun.js';

const made: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'leakgate-report-test-'));
  made.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Everything in the page that could reach the network: URLs outside XML namespace declarations. */
function externalReferences(html: string): string[] {
  return html.replace(/\sxmlns(:\w+)?="[^"]*"/g, '').match(/(https?:)?\/\/[^\s"'<>)]+/g) ?? [];
}

describe('writeReport', () => {
  let results: RunResults;
  let analysis: Analysis;
  let written: { htmlPath: string; svgPaths: string[] };
  let html: string;

  beforeAll(async () => {
    // The label carries markup: it must come out as text everywhere, charts included.
    results = {
      ...syntheticRun([cleanModel('model_clean', 'tidy <b>&"q"'), leakingModel()], 12),
      ffmpeg: { path: '/nm/@ffmpeg-installer/linux-x64/ffmpeg', source: 'packaged', version: 'N-47683-g0e8eb07980-static' },
    };
    analysis = analyzeResults(results);
    written = await writeReport(results, analysis, await scratch());
    html = await readFile(written.htmlPath, 'utf8');
  }, 60_000);

  it('writes report.html and one standalone SVG per model and signal, plus the TTFT/speed/WER chart', async () => {
    expect(basename(written.htmlPath)).toBe('report.html');
    expect(written.svgPaths.map((p) => basename(p)).sort()).toEqual([
      'model_clean-heapInUse.svg',
      'model_clean-rss.svg',
      'model_clean-rssAnon.svg',
      'model_leak-heapInUse.svg',
      'model_leak-rss.svg',
      'model_leak-rssAnon.svg',
      'performance.svg',
    ]);
    for (const path of written.svgPaths) {
      const svg = await readFile(path, 'utf8');
      expect(svg.startsWith('<?xml')).toBe(true);
      expect(svg).toMatch(/<svg [^>]*viewBox="0 0 \d+ \d+"/);
      expect(svg).toContain('<path');
    }
  });

  it('is self-contained: no script, no stylesheet link, no URL outside XML namespaces', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/@import/i);
    expect(externalReferences(html)).toEqual([]);
    // the check itself finds an external reference
    expect(externalReferences('<script src="https://cdn.example/vega.js"></script>')).toEqual(['https://cdn.example/vega.js']);
  });

  it('inlines every chart once, with ids unique across the page', () => {
    expect(html.match(/<figure class="chart"/g)).toHaveLength(7);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("says what the allocator keeps after each model's last unload", () => {
    const section = html.slice(html.indexOf('id="allocator-retention"'));
    expect(html).toContain('id="allocator-retention"');
    expect(section).toMatch(/<li>[^<]*: after unload \(iteration \d+\) RssAnon [^<]* above a [^<]* heap/);
  });

  it('leads with the run verdict and the leaking model, then the clean one', () => {
    expect(html).toContain('id="run-verdict">LEAK</span>');
    const leak = html.indexOf('id="model-model_leak"');
    const clean = html.indexOf('id="model-model_clean"');
    expect(leak).toBeGreaterThan(0);
    expect(clean).toBeGreaterThan(leak);
    expect(html).toContain(analysis.judgement.models.find((m) => m.modelKey === 'model_leak')!.explanations[0]!.replace(/</g, '&lt;'));
  });

  it('shows the process as a whole, with its verdict and what it keeps per iteration', () => {
    const process = analysis.judgement.process!;
    expect(process.verdict).toBe('leak');
    expect(html).toContain(
      `<li id="process">the process, all models: <span class="badge leak">LEAK</span> ` +
        `${process.explanations[0]!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</li>`,
    );
  });

  it('has the seed summary table, provenance and the unload-check line', () => {
    expect(html).toContain('Avg Net Leak per Switch (MB)');
    expect(html).toContain('Growth Rate (MB/iter)');
    expect(html).toContain('0123456789abcdef0123'); // chatllm.cpp commit
    expect(html).toContain(
      '<code>/nm/@ffmpeg-installer/linux-x64/ffmpeg</code>, version N-47683-g0e8eb07980-static, installed by npm: @ffmpeg-installer/ffmpeg',
    );
    expect(html).toContain('/models/model_leak.bin');
    expect(html).toContain('Every destroy released');
  });

  it('escapes model labels in the page and in the charts', () => {
    expect(html).not.toContain('<b>&');
    expect(html).toContain('tidy &lt;b&gt;&amp;&quot;q&quot;');
  });

  it('shows a crash and the unload findings', async () => {
    const crashed: RunResults = {
      ...syntheticRun([leakingModel()], 3),
      status: 'failed',
      failure: {
        kind: 'crash',
        modelKey: 'model_leak',
        iteration: 3,
        step: 'infer',
        signal: 'SIGSEGV',
        timeoutMs: null,
        message: 'worker died with SIGSEGV',
      },
    };
    const analysis = analyzeResults(crashed);
    const fdLeak: CountFinding = {
      kind: 'fd',
      modelKey: 'model_leak',
      label: 'leak',
      verdict: 'leak',
      perSwitch: 1,
      growth: 3,
      switches: 3,
      firstIteration: 1,
      leftBehind: ['the model file /m/leak.bin stays open (3 of 3 unloads)'],
      moreSwitchesNeeded: null,
      message: 'fd leak: +1.0 fd/switch over 3 switches (leak)',
    };
    const withFindings: Analysis = { ...analysis, judgement: { ...analysis.judgement, counts: [fdLeak] } };
    const page = await readFile((await writeReport(crashed, withFindings, await scratch())).htmlPath, 'utf8');
    expect(page).toContain('The run ended early: crash');
    expect(page).toContain('signal SIGSEGV');
    expect(page).toContain('worker died with SIGSEGV');
    expect(page).toContain('the model file /m/leak.bin stays open (3 of 3 unloads)');
    expect(page).not.toContain('Every destroy released');
  }, 60_000);
});

describe('leakgate report', () => {
  const io = (cwd: string, out: string[]): LeakgateIO => ({
    out: (t) => void out.push(t),
    log: (t) => void out.push(`${t}\n`),
    write: (t) => void out.push(t),
    error: () => {},
    tty: false,
    env: {},
    cwd,
  });

  it('reads a results file and writes the report into -o DIR', async () => {
    const dir = await scratch();
    const file = join(dir, 'results.json');
    await writeFile(file, JSON.stringify(toResultsJson(syntheticRun([leakingModel()], 6))));
    const out: string[] = [];
    expect(await reportCommand.run([file, '-o', 'rep'], io(dir, out))).toBe(0);
    expect(existsSync(join(dir, 'rep', 'report.html'))).toBe(true);
    expect(out.join('')).toMatch(/^Report: rep\/report\.html \(4 SVG charts beside it/);
  }, 60_000);

  it('names the missing file and the fix', async () => {
    const dir = await scratch();
    const error = await reportCommand.run(['nope.json'], io(dir, [])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeakgateError);
    expect((error as LeakgateError).message).toContain(`results file not found: ${join(dir, 'nope.json')}`);
    expect((error as LeakgateError).exitCode).toBe(2);
  });
});
