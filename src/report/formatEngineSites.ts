import type { ModelEngineSites } from '../analysis/engineSiteGrowth.js';
import { formatBytes } from '../units.js';
import { shortFunctionName } from './formatAttribution.js';

/**
 * "Engine sites that grow": per model with a growing site, each site's exact bytes per switch after
 * warm-up, its share of the engine-heap slope, the function and source line (addr2line), or its
 * module and offset when the engine has no debug info. Empty when no site grows.
 */
export function formatEngineSites(models: readonly ModelEngineSites[], labels: ReadonlyMap<string, string>): string {
  const growing = models.filter((m) => m.sites.length > 0);
  if (growing.length === 0) return '';
  const lines = ['Engine allocation sites that grow (the allocation ledger, exact, after warm-up):'];
  for (const model of growing) {
    lines.push(`  [${labels.get(model.modelKey) ?? model.modelKey}] over ${model.switches} switches`);
    for (const site of model.sites) {
      const share = site.shareOfSlope !== null ? `, ${Math.round(site.shareOfSlope * 100)} % of the slope` : '';
      const where = site.location ? ` (${site.location.slice(site.location.lastIndexOf('/') + 1)})` : '';
      const name = site.function ? `${shortFunctionName(site.function)}${where}` : site.site;
      lines.push(`    +${formatBytes(site.bytesPerSwitch)}/switch (${site.blocksPerSwitch.toFixed(1)} blocks)${share}  ${name}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
