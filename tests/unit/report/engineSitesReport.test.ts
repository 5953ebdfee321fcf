import { describe, expect, it } from 'vitest';
import { analyzeResults, type Analysis } from '../../../src/analysis/analyzeResults.js';
import type { EngineSiteGrowth } from '../../../src/analysis/engineSiteGrowth.js';
import { evaluateGate } from '../../../src/gate/evaluateGate.js';
import { formatEngineSites } from '../../../src/report/formatEngineSites.js';
import { gateJobSummary } from '../../../src/report/gateJobSummary.js';
import { reportHtml } from '../../../src/report/html/reportHtml.js';
import { leakingModel, syntheticRun } from './fixtures/syntheticRun.js';

const site = (over: Partial<EngineSiteGrowth>): EngineSiteGrowth => ({
  site: '/lib/libchatllm.so+0x10',
  function: null,
  location: null,
  bytesPerSwitch: 0,
  blocksPerSwitch: 1,
  shareOfSlope: null,
  risingSwitches: 4,
  ...over,
});
const POS_TENSOR = site({
  site: '/lib/libchatllm.so+0x36f0bc',
  function: 'chatllm::BaseTensorPosHelper::allocate_pos_tensor(chatllm::InitContext*)',
  location: '/src/layers.cpp:2869',
  bytesPerSwitch: 524_288,
  blocksPerSwitch: 2,
  shareOfSlope: 0.79,
});
// Names come from the engine's debug info and module paths: untrusted text.
const HOSTILE_MODULE = site({ site: '/tmp/<img src=x onerror=alert(1)>/lib.so+0x20', bytesPerSwitch: 64 });
const HOSTILE_NAME = site({
  site: '/lib/libchatllm.so+0x30',
  function: 'evil|`name`\n::error::pwned',
  location: '/src/a|b.cpp:1',
  bytesPerSwitch: 32,
});

function withSites(): { analysis: Analysis; html: string; summary: string } {
  const results = syntheticRun([leakingModel()], 10);
  const analysis: Analysis = {
    ...analyzeResults(results),
    engineSites: [
      {
        modelKey: 'model_leak',
        switches: 10,
        sites: [POS_TENSOR, HOSTILE_MODULE, HOSTILE_NAME],
        unlisted: { sites: 0, bytesPerSwitch: 0 },
      },
    ],
  };
  const gate = evaluateGate(results, analysis, null, 'baselines/x.json');
  return { analysis, html: reportHtml(results, analysis, []), summary: gateJobSummary(results, analysis, gate, 'baselines/x.json') };
}

describe('the growing engine sites in the HTML report and the job summary', () => {
  const { analysis, html, summary } = withSites();

  it('the job summary lists each site with its bytes and blocks per switch, share, function and file:line', () => {
    expect(summary).toContain('### Engine allocation sites that grow');
    expect(summary).toContain(
      '| leaky | +512.0 KiB | 2.0 | 79 % | chatllm::BaseTensorPosHelper::allocate\\_pos\\_tensor | layers.cpp:2869 |',
    );
  });

  it('the job summary escapes site names: no cell ends, no code span, no HTML, no line of its own', () => {
    expect(summary).toContain('| evil\\|\\`name\\`\\\\n::error::pwned | a\\|b.cpp:1 |');
    expect(summary).toContain('/tmp/&lt;img src=x onerror=alert(1)&gt;/lib.so+0x20');
    expect(summary.split('\n').some((line) => line.trimStart().startsWith('::'))).toBe(false);
  });

  it('the HTML report lists the same sites in the model section, escaped', () => {
    const section = html.slice(html.indexOf('<h3>Engine allocation sites that grow</h3>'));
    expect(section).toMatch(
      new RegExp(
        String.raw`<td class="num">\+512\.0 KiB<\/td><td class="num">2\.0<\/td><td class="num">79 %<\/td>` +
          String.raw`<td><code>chatllm::BaseTensorPosHelper::allocate_pos_tensor<\/code><\/td><td>layers\.cpp:2869<\/td>`,
      ),
    );
    expect(section).toContain('<code>/tmp/&lt;img src=x onerror=alert(1)&gt;/lib.so+0x20</code>');
    expect(html).not.toContain('<img src=x');
  });

  it('the console shows the same rows', () => {
    const console = formatEngineSites(analysis.engineSites, new Map([['model_leak', 'leaky']]));
    expect(console).toContain(
      '+512.0 KiB/switch (2.0 blocks), 79 % of the slope  chatllm::BaseTensorPosHelper::allocate_pos_tensor (layers.cpp:2869)',
    );
    expect(console).toContain('+64 B/switch (1.0 blocks)  /tmp/<img src=x onerror=alert(1)>/lib.so+0x20');
    // One line per site: a newline in a name is shown as an escape, never a line of its own.
    expect(console).toContain('+32 B/switch (1.0 blocks)  evil|`name`\\n::error::pwned (a|b.cpp:1)');
  });

  it('no ledger, no section', () => {
    const results = syntheticRun([leakingModel()], 10);
    const analysis = analyzeResults(results);
    expect(reportHtml(results, analysis, [])).not.toContain('Engine allocation sites that grow');
    expect(gateJobSummary(results, analysis, evaluateGate(results, analysis, null, 'b.json'), 'b.json')).not.toContain(
      'Engine allocation sites',
    );
  });

  it('a ledger that lost count says so in the HTML report and the job summary, as on the console; counting, they say nothing', () => {
    const results = syntheticRun([leakingModel()], 10);
    const counted = analyzeResults(results);
    const note = 'allocation ledger: its tables filled (7 allocation(s) uncounted); the engine heap is not judged, heap in use decides';
    for (const [analysis, shown] of [
      [{ ...counted, uncountedEngineAllocations: 7 }, true],
      [{ ...counted, uncountedEngineAllocations: 0 }, false],
    ] as const) {
      const html = reportHtml(results, analysis, []);
      const summary = gateJobSummary(results, analysis, evaluateGate(results, analysis, null, 'b.json'), 'b.json');
      expect(html.includes(`<strong>Note:</strong> ${note}`)).toBe(shown);
      expect(summary.includes(`Note: ${note}`)).toBe(shown);
    }
  });
});
