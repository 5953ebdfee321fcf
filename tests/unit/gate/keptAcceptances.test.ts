import { describe, expect, it } from 'vitest';
import type { AcceptedFailure, Baseline } from '../../../src/gate/Baseline.js';
import { keptAcceptances } from '../../../src/gate/keptAcceptances.js';
import type { RunFailure } from '../../../src/results/RunResults.js';

const ABORT: AcceptedFailure = {
  kind: 'crash',
  step: 'unload',
  signal: 'SIGABRT',
  messagePattern: 'engine aborted in chatllm_destroy \\(SIGABRT\\)',
  reason: 'upstream PR #111 open',
  acceptedBy: 'alice',
};
const SITES = [
  { function: 'z_site', maxBytesPerSwitch: 64, reason: 'planted' },
  { function: 'a_site', maxBytesPerSwitch: 8, reason: 'first use' },
];
const previous = (extra: Partial<Baseline>): Baseline => ({ accepted: null, ...extra }) as Baseline;
const failure = (over: Partial<RunFailure> = {}): RunFailure =>
  ({
    kind: 'crash',
    step: 'unload',
    signal: 'SIGABRT',
    message: 'engine aborted in chatllm_destroy (SIGABRT): stderr…',
    modelKey: 'm',
    iteration: 1,
    ...over,
  }) as RunFailure;

describe('keptAcceptances', () => {
  it('no baseline replaced: keeps nothing and says nothing', () => {
    expect(keptAcceptances(null, failure(), 'b.json')).toEqual({ engineSites: [], failure: null, lines: [] });
  });

  it('keeps the accepted engine sites in their order, in one line naming each and its rate', () => {
    const kept = keptAcceptances(previous({ acceptedEngineSites: SITES }), null, 'b.json');
    expect(kept.engineSites).toEqual(SITES);
    expect(kept.lines).toEqual(['Accepted engine sites kept from b.json: z_site (≤ 64 B/switch), a_site (≤ 8 B/switch)']);
  });

  it('a site name that would start a workflow command or a new line is printed escaped', () => {
    const kept = keptAcceptances(
      previous({ acceptedEngineSites: [{ function: 'f\n::error::x', maxBytesPerSwitch: 1, reason: '' }] }),
      null,
      'b.json',
    );
    expect(kept.lines[0]).toContain('f\\n::error::x (≤ 1 B/switch)');
    expect(kept.lines[0]).not.toContain('\n');
  });

  it('keeps the accepted failure only while the run fails exactly that way', () => {
    const base = previous({ accepted: { reason: 'known failure', at: '2026-01-01T00:00:00.000Z', failure: ABORT } });
    const known = keptAcceptances(base, failure(), 'b.json');
    expect(known.failure).toEqual(ABORT);
    expect(known.lines).toEqual([
      'Known failure kept from b.json: engine aborted in chatllm_destroy (SIGABRT) at unload (accepted by alice)',
    ]);

    const gone = keptAcceptances(base, null, 'b.json');
    expect(gone.failure).toBeNull();
    expect(gone.lines[0]).toMatch(/^Known failure of b\.json not kept .*: the run did not fail that way$/);

    const other = keptAcceptances(base, failure({ signal: 'SIGSEGV', message: 'engine crashed in chatllm_destroy (SIGSEGV)' }), 'b.json');
    expect(other.failure).toBeNull();
    expect(other.lines[0]).toMatch(/: the run failed another way$/);
  });
});
