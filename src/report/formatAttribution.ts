import { formatBytes } from '../units.js';
import type { AllocationSite, Attribution, ModelAttribution } from '../results/Attribution.js';
import { describeFrame, isEngineFrame, type NativeFrame } from '../results/NativeFrame.js';

/** Frames of a site's stack shown after its first frame on the console (the results file keeps them all). */
const STACK_FRAMES_SHOWN = 4;

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * A C++ name without its parameter list and template arguments, for one-line stacks:
 * "chatllm::CoreAttention::CoreAttention(chatllm::InitContext*, int)" -> "chatllm::CoreAttention::CoreAttention".
 */
export function shortFunctionName(name: string | null): string {
  if (name === null) return '??';
  let out = '';
  let depth = 0;
  for (const char of name) {
    if (char === '<' || char === '(') depth += 1;
    else if ((char === '>' || char === ')') && depth > 0) depth -= 1;
    else if (depth === 0) out += char;
  }
  // "operator()" / "operator<" lose their symbol above; the full name is in the results file.
  return out.trim() || name;
}

/** Frame names for a one-line stack: short, and a recursion shown once with its depth ("make_tree ×4"). */
function chain(names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const last = out.at(-1);
    const match = last === undefined ? null : /^(.*?)(?: ×(\d+))?$/.exec(last);
    if (match && match[1] === name) out[out.length - 1] = `${name} ×${Number(match[2] ?? 1) + 1}`;
    else out.push(name);
  }
  return out;
}

/** "1.0 MiB/switch, 1 calls/switch: refengine_leak_per_load (refengine.c:396) in libchatllm-ref.so ← … ← chatllm_start" */
export function formatSite(site: AllocationSite): string {
  const [first, ...rest] = chain(site.stack.map((frame) => shortFunctionName(frame.function)));
  const shown = rest.length > STACK_FRAMES_SHOWN ? [...rest.slice(0, STACK_FRAMES_SHOWN - 1), '…', rest.at(-1)!] : rest;
  const where = site.firstFrame.file ? ` (${basename(site.firstFrame.file)}${site.firstFrame.line ? `:${site.firstFrame.line}` : ''})` : '';
  const calls = Number.isInteger(site.callsPerSwitch) ? String(site.callsPerSwitch) : site.callsPerSwitch.toFixed(1);
  return (
    `${formatBytes(site.bytesPerSwitch)}/switch, ${calls} calls/switch: ${first}${where} in ${basename(site.firstFrame.module)}` +
    `${shown.length ? ` ← ${shown.join(' ← ')}` : ''}`
  );
}

/** "growing sites cover 98 % of the heap slope (+1.1 MiB/switch)" */
export function formatCoverage(model: ModelAttribution): string {
  const heap =
    model.heapSlopeBytesPerSwitch === null
      ? 'heap in use unavailable'
      : `heap in use ${sign(model.heapSlopeBytesPerSwitch)}/switch without heaptrack`;
  const share = model.coveredShare === null ? '' : `; the sites cover ${Math.round(model.coveredShare * 100)} % of it`;
  return `${heap}, heaptrack saw ${sign(model.tracedSlopeBytesPerSwitch)}/switch${share}`;
}

const sign = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${formatBytes(bytes)}`;

/** The console report of `leakgate attribute`: per model its growing sites, then what tracing cost. */
export function formatAttribution(attribution: Attribution, topSites = 10): string {
  const lines = [
    `Allocation sites that grow per switch (${attribution.tool}, ${attribution.switches} switches per model, the first one warm-up)`,
  ];
  for (const model of attribution.models) {
    lines.push(`  Model ${model.label}: ${formatCoverage(model)}`);
    if (model.growingSites.length === 0) lines.push('    no growing site in the engine');
    model.growingSites.slice(0, topSites).forEach((site, i) => lines.push(`    ${i + 1}. ${formatSite(site)}`));
    if (model.growingSites.length > topSites) lines.push(`    … and ${model.growingSites.length - topSites} more in the results file`);
  }
  const overhead = attribution.plainRunMs > 0 ? ` (${(attribution.tracedRunMs / attribution.plainRunMs).toFixed(1)}x)` : '';
  lines.push(
    `  Cost: the switches took ${seconds(attribution.plainRunMs)} plain, ${seconds(attribution.tracedRunMs)} under heaptrack${overhead}, ` +
      `reading its dump ${seconds(attribution.interpretMs)}`,
  );
  return lines.join('\n');
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Sites each leaking model's report lists (console, HTML report, job summary). */
export const TOP_SITES = 3;

/**
 * For each model whose verdict is leak, where it leaks: its top sites from the attribution run.
 * Empty when no attribution was run or no model leaks.
 */
export function formatTopSites(attribution: Attribution | undefined, leakingModelKeys: readonly string[]): string {
  if (!attribution) return '';
  const lines: string[] = [];
  for (const model of attribution.models.filter((m) => leakingModelKeys.includes(m.modelKey))) {
    const shown = model.growingSites.slice(0, TOP_SITES);
    lines.push(`Where ${model.label} leaks (${attribution.tool}, ${attribution.switches} switches; ${formatCoverage(model)}):`);
    if (shown.length === 0) lines.push('  no growing allocation site in the engine (the growth is outside malloc, or outside the engine)');
    shown.forEach((site, i) => lines.push(`  ${i + 1}. ${formatSite(site)}`));
    if (model.growingSites.length > shown.length)
      lines.push(`  … ${model.growingSites.length - shown.length} more growing sites in the results file`);
  }
  return lines.join('\n');
}

/** The crashing thread's stack for the console: engine frames first, the runtime's (glibc, C++, JS) counted after. */
export function formatNativeStack(stack: NativeFrame[]): string {
  const engine = stack.filter(isEngineFrame);
  return [
    'Native stack of the crashing thread (engine frames, innermost first):',
    ...engine.map((frame) => `  ${describeFrame(frame)} in ${basename(frame.module)}`),
    `  (${stack.length - engine.length} glibc, C++ runtime and JS runtime frames folded; the results file has them all)`,
  ].join('\n');
}
