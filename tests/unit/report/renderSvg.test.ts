import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../../../src/report/charts/renderSvg.js';

const spec: TopLevelSpec = {
  width: 200,
  height: 100,
  data: {
    values: [
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 2 },
    ],
  },
  mark: { type: 'line', clip: true },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
};

describe('renderSvg', () => {
  it('renders a Vega-Lite line to SVG in Node, with its ids scoped by the prefix', async () => {
    const svg = await renderSvg(spec, 'chart-a');
    expect(svg.startsWith('<svg')).toBe(true);
    const line = svg.match(/<g class="mark-line[^"]*"[^>]*><path [^>]*d="([^"]+)"/);
    expect(line?.[1]).toMatch(/^M[\d.,-]+L[\d.,-]+L[\d.,-]+$/);
    const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id.startsWith('chart-a-')).toBe(true);
    for (const ref of svg.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref[1]);
  }, 30_000);
});
