import { formatBytes } from '../../units.js';
import { describeFrame } from '../../results/NativeFrame.js';
import type { Attribution, ModelAttribution } from '../../results/Attribution.js';
import type { RunResults } from '../../results/RunResults.js';
import { formatCoverage, TOP_SITES } from '../formatAttribution.js';
import { escapeHtml } from './escapeHtml.js';
import { htmlTable } from './htmlTable.js';

/** One model's attribution and how it was made. */
export type AttributionForModel = { model: ModelAttribution; tool: string; switches: number };

/** The attribution of this model in the run's results, if `run --attribute` made one. */
export function attributionFor(results: RunResults, modelKey: string): AttributionForModel | undefined {
  const attribution: Attribution | undefined = results.attribution;
  const model = attribution?.models.find((m) => m.modelKey === modelKey);
  return attribution && model ? { model, tool: attribution.tool, switches: attribution.switches } : undefined;
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** "Where it leaks": the model's top growing allocation sites, with their stacks folded away. */
export function attributionHtml({ model, tool, switches }: AttributionForModel): string {
  const sites = model.growingSites.slice(0, TOP_SITES);
  const rows = sites.map((site) => [
    `+${formatBytes(site.bytesPerSwitch)}`,
    Number.isInteger(site.callsPerSwitch) ? site.callsPerSwitch : site.callsPerSwitch.toFixed(1),
    { html: `<code>${escapeHtml(describeFrame(site.firstFrame))}</code>` },
    basename(site.firstFrame.module),
    { html: `<details><summary>${site.stack.length} frames</summary><ol>${site.stack.map((frame) => `<li><code>${escapeHtml(describeFrame(frame))}</code></li>`).join('')}</ol></details>` },
  ]);
  return [
    `<h3>Where it leaks</h3>`,
    `<p class="muted">${escapeHtml(`${tool}, ${switches} switches: ${formatCoverage(model)}. Top ${TOP_SITES} of ${model.growingSites.length} growing sites.`)}</p>`,
    sites.length
      ? htmlTable(['bytes / switch', 'calls / switch', 'first engine frame', 'library', 'stack to the C API'], rows, { className: 'attribution', numeric: [0, 1] })
      : '<p>No allocation site in the engine grows: the growth is outside malloc or outside the engine.</p>',
  ].join('\n');
}
