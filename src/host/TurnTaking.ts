/**
 * Lets two runners take turns, one switch each, so machine noise (another job, a CPU frequency step)
 * hits both alike. The order alternates by round — A B, B A, A B … — so neither always goes first.
 * A runner that finishes or fails retires; the other then runs alone.
 */
export class TurnTaking<Name extends string> {
  private turn = 0;
  private readonly retired = new Set<Name>();
  private readonly waiting = new Map<Name, () => void>();

  constructor(private readonly names: readonly [Name, Name]) {}

  /** Whose turn `turn` is: rounds of two, the first name leading even rounds. */
  private owner(turn: number): Name {
    const round = Math.floor(turn / 2);
    const [a, b] = this.names;
    return (turn % 2 === 0) === (round % 2 === 0) ? a : b;
  }

  /** Resolves when it is `name`'s turn. */
  wait(name: Name): Promise<void> {
    this.skipRetired();
    if (this.owner(this.turn) === name) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(name, resolve));
  }

  /** `name` finished its switch: the next turn begins. */
  done(name: Name): void {
    if (this.owner(this.turn) === name) this.turn += 1;
    this.wake();
  }

  /** `name` will take no more turns (finished, failed or interrupted). */
  retire(name: Name): void {
    this.retired.add(name);
    this.wake();
  }

  private skipRetired(): void {
    if (this.retired.size === this.names.length) return;
    while (this.retired.has(this.owner(this.turn))) this.turn += 1;
  }

  private wake(): void {
    this.skipRetired();
    const owner = this.owner(this.turn);
    const resolve = this.waiting.get(owner);
    if (resolve) {
      this.waiting.delete(owner);
      resolve();
    }
  }
}
