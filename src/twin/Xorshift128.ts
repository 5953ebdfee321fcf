/** One splitmix32 step: a well-mixed 32-bit value from any 32-bit input (used to seed). */
function splitmix32(input: number): number {
  let t = (input + 0x9e3779b9) | 0;
  t = Math.imul(t ^ (t >>> 16), 0x21f0aaad);
  t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
  return (t ^ (t >>> 15)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of `text`. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Marsaglia's xorshift128: fast, deterministic, plenty for random weights (not for cryptography).
 * Each stream is keyed by (seed, key) so a tensor's bytes do not depend on what was generated before it.
 */
export class Xorshift128 {
  private x: number;
  private y: number;
  private z: number;
  private w: number;

  /** A stream for `seed` (an unsigned 32-bit integer) and a free-form key such as a tensor name. */
  constructor(seed: number, key = '') {
    const base = splitmix32(seed >>> 0) ^ fnv1a(key);
    this.x = splitmix32(base);
    this.y = splitmix32(this.x ^ 0x6a09e667);
    this.z = splitmix32(this.y ^ 0xbb67ae85);
    this.w = splitmix32(this.z ^ 0x3c6ef372) | 1; // never all-zero state
  }

  /** The next unsigned 32-bit value. */
  nextUint32(): number {
    const t = this.x ^ (this.x << 11);
    this.x = this.y;
    this.y = this.z;
    this.z = this.w;
    this.w = this.w ^ (this.w >>> 19) ^ (t ^ (t >>> 8));
    return this.w >>> 0;
  }

  /** A uniform integer in [0, bound) for bound <= 2^32 (modulo bias is irrelevant for this use). */
  nextBelow(bound: number): number {
    return this.nextUint32() % bound;
  }

  /** Fills `words` with consecutive values of the stream; the hot loop keeps the state in locals. */
  fill(words: Uint32Array): void {
    let { x, y, z, w } = this;
    for (let i = 0; i < words.length; i++) {
      const t = x ^ (x << 11);
      x = y;
      y = z;
      z = w;
      w = w ^ (w >>> 19) ^ (t ^ (t >>> 8));
      words[i] = w;
    }
    this.x = x;
    this.y = y;
    this.z = z;
    this.w = w;
  }
}
