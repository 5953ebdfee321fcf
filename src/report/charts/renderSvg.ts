import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { helveticaTextWidth } from './helveticaTextWidth.js';

/** What vega hands a text-width function: a text mark item (font size, weight, width limit). */
interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
  text?: unknown;
}

/** vega's text measurer (exported by vega-scenegraph, absent from vega's typings). */
interface TextMetrics {
  width: (item: TextItem, text?: unknown) => number;
}

let metricsInstalled = false;

/** Vega supports a user-defined textMetrics.width (vl-convert does the same); ours knows Helvetica's widths. */
function installTextMetrics(): void {
  if (metricsInstalled) return;
  metricsInstalled = true;
  const metrics = (vega as unknown as { textMetrics?: TextMetrics }).textMetrics;
  if (!metrics) return;
  metrics.width = (item, text) => {
    const fontSize = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
    const width = helveticaTextWidth(String(text ?? '').trim(), fontSize, bold);
    // vega truncates text to `limit` pixels before drawing it
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}

/**
 * Renders a Vega-Lite spec to a standalone SVG string in Node: compiled to Vega and run headless
 * (renderer 'none': no canvas needed). `idPrefix` makes the SVG's clip-path and gradient ids
 * unique, so several charts can be inlined in one HTML page.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  installTextMetrics();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Warn });
  try {
    return scopeIds(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}

function scopeIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}
