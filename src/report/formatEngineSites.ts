import type { EngineSiteGrowth, ModelEngineSites } from '../analysis/engineSiteGrowth.js';
import { formatBytes } from '../units.js';
import { untrustedText } from '../untrustedText.js';
import { shortFunctionName } from './formatAttribution.js';

/**
 * How every report names an engine site: its function without parameters or template arguments (or
 * "MODULE+0xOFFSET" when the engine has no debug info), its source file:line (or null), and its share of
 * the engine-heap slope as "84 %" (or null). Untrusted text: each reporter escapes it for its medium.
 */
export function engineSiteLabel(site: EngineSiteGrowth): { name: string; where: string | null; share: string | null } {
  return {
    name: site.function ? shortFunctionName(site.function) : site.site,
    where: site.location ? site.location.slice(site.location.lastIndexOf('/') + 1) : null,
    share: site.shareOfSlope !== null ? `${Math.round(site.shareOfSlope * 100)} %` : null,
  };
}

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
    lines.push(`  [${untrustedText(labels.get(model.modelKey) ?? model.modelKey)}] over ${model.switches} switches`);
    for (const site of model.sites) {
      const { name, where, share } = engineSiteLabel(site);
      // Names from the engine's debug info and paths: one line each, never a workflow command.
      lines.push(
        `    +${formatBytes(site.bytesPerSwitch)}/switch (${site.blocksPerSwitch.toFixed(1)} blocks)` +
          `${share ? `, ${share} of the slope` : ''}  ${untrustedText(name)}` +
          `${where && site.function ? ` (${untrustedText(where)})` : ''}`,
      );
    }
    const { unlisted } = model;
    if (unlisted.sites > 0) lines.push(`    +${formatBytes(unlisted.bytesPerSwitch)}/switch in ${unlisted.sites} more sites`);
  }
  return `${lines.join('\n')}\n`;
}
