import { describe, expect, it } from 'vitest';
import { analyzeResults } from '../../../src/analysis/analyzeResults.js';
import { evaluateGate } from '../../../src/gate/evaluateGate.js';
import { gateJobSummary, mermaidTimeline } from '../../../src/report/gateJobSummary.js';
import { cleanModel, leakingModel, plateauModel, syntheticRun } from './fixtures/syntheticRun.js';

function jobSummary(models: Parameters<typeof syntheticRun>[0], reportArtifact?: string | null) {
  const results = syntheticRun(models, 10);
  const analysis = analyzeResults(results);
  const gate = evaluateGate(results, analysis, null, 'baselines/x.json');
  const head = gateJobSummary(results, analysis, gate, 'baselines/x.json');
  return { head, charts: mermaidTimeline(results, analysis, reportArtifact), gate };
}

const blocks = (markdown: string): string[] => [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('mermaidTimeline', () => {
  it('comes after the failing model, signal and numbers, which stay first', () => {
    const { head, charts, gate } = jobSummary([cleanModel(), leakingModel()]);
    expect(gate.passed).toBe(false);
    const lines = `${head}${charts}`.split('\n');
    const firstChart = lines.indexOf('```mermaid');
    expect(firstChart).toBeGreaterThan(0);
    const before = lines.slice(0, firstChart);
    expect(before[0]).toBe('## leakgate: ❌ FAIL — verdict leak');
    expect(before.find((l) => l.startsWith('- **leak** leaky'))).toContain('heapInUse 1.0 MiB/switch');
    expect(before.at(-2)).toBe('**leaky**: LEAK — heap in use +1.0 MiB/switch after 0 warm-up switch(es)');
  });

  it('charts the leaking model first, in MiB after each unload, with switch 0 the baseline', () => {
    const [leak, clean] = blocks(jobSummary([cleanModel(), leakingModel()]).charts);
    expect(leak).toContain('xychart-beta');
    expect(leak).toContain('title "leaky: heap in use after unload (MiB), leak"');
    expect(leak).toContain('x-axis "switch (0 = before the first load)" 0 --> 10');
    expect(leak).toContain('line [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110]');
    expect(leak).toContain('"plotColorPalette": "#d55e00"');
    // the clean model's line has the leak taken out, as its verdict does
    expect(clean).toContain('line [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100]');
    expect(clean).toContain('y-axis "MiB" 99.5 --> 100.5');
  });

  it('ends with where the full report is, and has no image', () => {
    const { charts } = jobSummary([plateauModel()]);
    expect(charts.trimEnd().split('\n').at(-1)).toBe(
      'Full report: the `leakgate-report` artifact (report.html, with every chart also as an SVG).',
    );
    expect(charts).not.toMatch(/<img|!\[/);
    expect(jobSummary([plateauModel()], 'nightly-report').charts).toContain('the `nightly-report` artifact');
    expect(jobSummary([plateauModel()], null).charts).not.toContain('Full report');
  });
});
