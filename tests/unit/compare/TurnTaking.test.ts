import { describe, expect, it } from 'vitest';
import { TurnTaking } from '../../../src/host/TurnTaking.js';

/** Two runners of `switches` switches each (one failing after `failAfter`), logging the order they ran in. */
async function race(switches: number, failAfter: { name: 'base' | 'head'; switches: number } | null = null): Promise<string[]> {
  const turns = new TurnTaking<'base' | 'head'>(['base', 'head']);
  const log: string[] = [];
  const runner = async (name: 'base' | 'head'): Promise<void> => {
    for (let turn = 1; turn <= switches; turn += 1) {
      await turns.wait(name);
      if (failAfter?.name === name && turn > failAfter.switches) break;
      // An uneven await inside a switch must not let the other runner in.
      await new Promise((resolve) => setTimeout(resolve, name === 'base' ? 3 : 1));
      log.push(`${name}${turn}`);
      turns.done(name);
    }
    turns.retire(name);
  };
  await Promise.all([runner('head'), runner('base')]);
  return log;
}

describe('TurnTaking', () => {
  it('alternates one switch each, the leader swapping every round (base head, head base, …)', async () => {
    expect(await race(4)).toEqual(['base1', 'head1', 'head2', 'base2', 'base3', 'head3', 'head4', 'base4']);
  });

  it('a runner that fails retires; the other runs its remaining switches alone', async () => {
    expect(await race(4, { name: 'base', switches: 1 })).toEqual(['base1', 'head1', 'head2', 'head3', 'head4']);
  });
});
