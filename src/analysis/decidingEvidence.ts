import type { Signal } from './Signal.js';
import type { SignalEvidence } from './SignalEvidence.js';

/**
 * Signals that judge memory the first signal cannot see, so that a leak on them is the verdict even
 * when the first (heap in use, malloc's memory) is flat: anonymous memory outside malloc (an engine's
 * own mmap, thread stacks). Their other verdicts do not override: outside malloc also holds the JS
 * runtime's heap, whose pages come and go, and heap in use stays the precise signal for malloc.
 */
const LEAK_ALSO_DECIDES: readonly Signal[] = ['outsideMalloc'];

/**
 * The evidence whose verdict is the model's (or the process's): the first measured signal in SIGNALS
 * order, unless it is not a leak and memory it cannot see leaks (LEAK_ALSO_DECIDES).
 */
export function decidingEvidence(evidence: readonly SignalEvidence[]): SignalEvidence | undefined {
  const first = evidence[0];
  if (!first || first.verdict === 'leak') return first;
  return evidence.find((e) => e !== first && LEAK_ALSO_DECIDES.includes(e.signal) && e.verdict === 'leak') ?? first;
}
