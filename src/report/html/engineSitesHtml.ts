import type { ModelEngineSites } from '../../analysis/engineSiteGrowth.js';
import { formatBytes } from '../../units.js';
import { engineSiteLabel } from '../formatEngineSites.js';
import { escapeHtml } from './escapeHtml.js';
import { htmlTable } from './htmlTable.js';

/**
 * "Engine allocation sites that grow": one model's sites from the allocation ledger, exact bytes and
 * blocks per switch after warm-up, share of the engine-heap slope, function and file:line (as the
 * console lists them). Empty when no site grows or the run had no ledger.
 */
export function engineSitesHtml(model: ModelEngineSites | undefined): string {
  if (!model || model.sites.length === 0) return '';
  const rows = model.sites.map((site) => {
    const { name, where, share } = engineSiteLabel(site);
    return [
      `+${formatBytes(site.bytesPerSwitch)}`,
      site.blocksPerSwitch.toFixed(1),
      share,
      { html: `<code>${escapeHtml(name)}</code>` },
      where,
    ];
  });
  return [
    '<h3>Engine allocation sites that grow</h3>',
    `<p class="muted">${escapeHtml(`The allocation ledger, exact, over ${model.switches} switches after warm-up.`)}</p>`,
    htmlTable(['bytes / switch', 'blocks / switch', 'share of the slope', 'function', 'file:line'], rows, {
      className: 'engine-sites',
      numeric: [0, 1, 2],
    }),
  ].join('\n');
}
