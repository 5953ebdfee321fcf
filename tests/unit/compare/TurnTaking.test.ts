import { describe, expect, it } from 'vitest';
import { TurnTaking } from '../../../src/host/TurnTaking.js';

/** Two runners of `cycles` cycles each (one failing after `failAfter`), logging the order they ran in. */
async function race(cycles: number, failAfter: { name: 'base' | 'head'; cycles: number } | null = null): Promise<string[]> {
  const turns = new TurnTaking<'base' | 'head'>(['base', 'head']);
  const log: string[] = [];
  const runner = async (name: 'base' | 'head'): Promise<void> => {
    for (let cycle = 1; cycle <= cycles; cycle += 1) {
      await turns.wait(name);
      if (failAfter?.name === name && cycle > failAfter.cycles) break;
      // An uneven await inside a cycle must not let the other runner in.
      await new Promise((resolve) => setTimeout(resolve, name === 'base' ? 3 : 1));
      log.push(`${name}${cycle}`);
      turns.done(name);
    }
    turns.retire(name);
  };
  await Promise.all([runner('head'), runner('base')]);
  return log;
}

describe('TurnTaking', () => {
  it('alternates one cycle each, the leader swapping every round (base head, head base, …)', async () => {
    expect(await race(4)).toEqual(['base1', 'head1', 'head2', 'base2', 'base3', 'head3', 'head4', 'base4']);
  });

  it('a runner that fails retires; the other runs its remaining cycles alone', async () => {
    expect(await race(4, { name: 'base', cycles: 1 })).toEqual(['base1', 'head1', 'head2', 'head3', 'head4']);
  });
});
