import { describe, expect, it } from 'vitest';
import type { AcceptedFailure, Baseline } from '../../../src/gate/Baseline.js';
import { judgeFailure } from '../../../src/gate/judgeFailure.js';
import { acceptFailure, isAcceptableFailure } from '../../../src/gate/acceptFailure.js';
import type { RunFailure } from '../../../src/results/RunResults.js';

const destroyAbort: RunFailure = {
  kind: 'crash',
  modelKey: 'model_06b',
  iteration: 1,
  step: 'unload',
  signal: 'SIGABRT',
  timeoutMs: null,
  message: 'engine aborted in chatllm_destroy (SIGABRT) — model 0.6B, iteration 1, unload [stderr: free(): invalid pointer]',
};
const accepted: AcceptedFailure = acceptFailure(destroyAbort, 'upstream PR #111 open', 'alice');
const withAccepted = { accepted: { reason: 'x', at: 'y', failure: accepted } } as unknown as Baseline;
const without = { accepted: null } as unknown as Baseline;

describe('acceptFailure', () => {
  it('keeps what failed, not where: the pattern is the message up to " — ", escaped', () => {
    expect(accepted).toEqual({
      kind: 'crash',
      step: 'unload',
      signal: 'SIGABRT',
      messagePattern: 'engine aborted in chatllm_destroy \\(SIGABRT\\)',
      reason: 'upstream PR #111 open',
      acceptedBy: 'alice',
    });
  });

  it('leaves out the engine stderr and native stack, which name paths of the machine that built it', () => {
    const withStack = {
      ...destroyAbort,
      message:
        'engine aborted in chatllm_destroy (SIGABRT): free(): invalid pointer ← chatllm::CoreAttention::~CoreAttention() ' +
        '(/tmp/src/layers.h:1587) ← … — model 0.6B, iteration 1, unload',
    };
    expect(acceptFailure(withStack, 'r', 'a').messagePattern).toBe('engine aborted in chatllm_destroy \\(SIGABRT\\)');
  });

  it('refuses an interrupted run and an unload-check failure', () => {
    expect(() => acceptFailure({ ...destroyAbort, kind: 'interrupted' }, 'r', 'a')).toThrow(/cannot be accepted/);
    expect(() => acceptFailure({ ...destroyAbort, kind: 'unload-check' }, 'r', 'a')).toThrow(/cannot be accepted/);
  });

  it("refuses what is the machine's: an out-of-memory kill, a SIGKILL from outside, a termination, a failed write", () => {
    for (const kind of ['out-of-memory', 'killed', 'terminated', 'write-failed'] as const) {
      expect(() => acceptFailure({ ...destroyAbort, kind }, 'r', 'a')).toThrow(
        /cannot be accepted as a known failure: it is not the engine's/,
      );
      expect(isAcceptableFailure({ ...destroyAbort, kind })).toBe(false);
    }
    expect(isAcceptableFailure(destroyAbort)).toBe(true);
  });

  it('matches the accepted words as text: regular-expression characters in a message are literal', () => {
    const dotted = { ...accepted, messagePattern: 'engine aborted in chatllm.destroy' };
    expect(
      judgeFailure(destroyAbort, { accepted: { reason: 'x', at: 'y', failure: dotted } } as unknown as Baseline, 'b.json').status,
    ).toBe('unexpected');
  });
});

describe('judgeFailure', () => {
  const cases: [string, RunFailure | null, Baseline | null, string][] = [
    [
      'the accepted abort, at another iteration and model',
      {
        ...destroyAbort,
        iteration: 7,
        modelKey: 'model_17b',
        message: destroyAbort.message.replace('0.6B, iteration 1', '1.7B, iteration 7'),
      },
      withAccepted,
      'known',
    ],
    [
      'an abort at another step',
      { ...destroyAbort, step: 'infer', message: 'engine aborted in chatllm_user_input (SIGABRT) — model 0.6B, iteration 1, infer' },
      withAccepted,
      'unexpected',
    ],
    [
      'another signal at the same step',
      { ...destroyAbort, signal: 'SIGSEGV', message: 'engine crashed (segmentation fault) in chatllm_destroy (SIGSEGV) — x' },
      withAccepted,
      'unexpected',
    ],
    [
      'a hang at destroy',
      { ...destroyAbort, kind: 'hang', signal: null, message: 'engine hung in chatllm_destroy: no answer — x' },
      withAccepted,
      'unexpected',
    ],
    ['no failure while one is accepted', null, withAccepted, 'gone'],
    ['a failure with no accepted one', destroyAbort, without, 'unexpected'],
    ['a failure without a baseline', destroyAbort, null, 'unexpected'],
    ['no failure, none accepted', null, without, 'none'],
    [
      'an interruption, even with an accepted failure',
      { ...destroyAbort, kind: 'interrupted', signal: 'SIGINT', step: null },
      withAccepted,
      'none',
    ],
    [
      'an unload-check abort with an accepted failure: the abort did not happen',
      { ...destroyAbort, kind: 'unload-check', signal: null },
      withAccepted,
      'gone',
    ],
  ];
  for (const [name, failure, baseline, status] of cases) {
    it(`${name}: ${status}`, () => expect(judgeFailure(failure, baseline, 'b.json').status).toBe(status));
  }

  it('says what is known, where it was accepted, by whom and why', () => {
    const judged = judgeFailure(destroyAbort, withAccepted, 'baselines/chatllm.cpp/x.json');
    expect(judged.status === 'known' && judged.line).toBe(
      'known failure: engine aborted in chatllm_destroy (SIGABRT) at unload; accepted in baselines/chatllm.cpp/x.json by ' +
        'alice: upstream PR #111 open',
    );
  });
});
