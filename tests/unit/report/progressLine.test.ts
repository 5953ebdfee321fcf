import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../../src/report/ProgressLine.js';
import { cleanModel, syntheticRun } from './fixtures/syntheticRun.js';

const [first, second] = syntheticRun([cleanModel()], 2).records;

describe('ProgressLine on a terminal', () => {
  it('rewrites one line per switch and ends it after the last switch, once', () => {
    const written: string[] = [];
    const line = new ProgressLine(2, (text) => written.push(text), true);
    line.update(first!, 'clean', 1, 2);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\r {2}Iteration 1\/2 \[clean\] - Mem: \d+MB/);
    line.update(second!, 'clean', 2, 2);
    expect(written.slice(1)).toEqual([expect.stringMatching(/^\r {2}Iteration 2\/2/), '\n']);
    line.finish();
    expect(written).toHaveLength(3);
  });

  it('a run stopped early: finish ends the open line; with nothing printed it prints nothing', () => {
    const written: string[] = [];
    const line = new ProgressLine(10, (text) => written.push(text), true);
    line.finish();
    expect(written).toEqual([]);
    line.update(first!, 'clean', 1, 5);
    line.finish();
    expect(written.at(-1)).toBe('\n');
  });
});
