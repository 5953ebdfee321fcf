import { SIGNAL_NAMES, SIGNALS, type Signal } from '../Signal.js';
import type { SignalEvidence } from '../SignalEvidence.js';
import { formatBytes } from '../../units.js';

/** Evidence of one model, by signal; a signal is missing when it was not measured. */
export type EvidenceBySignal = Partial<Record<Signal, SignalEvidence>>;

/** A cross-signal remark added to a model's explanations when it applies (see explanationRules). */
export interface ExplanationRule {
  name: string;
  applies(evidence: EvidenceBySignal): boolean;
  message(evidence: EvidenceBySignal): string;
}

/** heap-in-use leaks but RSS does not (yet) show it. */
const rssHidesHeapLeakRule: ExplanationRule = {
  name: 'rss-hides-heap-leak',
  applies: (e) =>
    e.heapInUse?.verdict === 'leak' &&
    (e.rss !== undefined || e.rssAnon !== undefined) &&
    e.rss?.verdict !== 'leak' &&
    e.rssAnon?.verdict !== 'leak',
  message: (e) =>
    `RSS alone looks different: it hides a heap leak for now (RSS ${e.rss?.verdict ?? e.rssAnon?.verdict}): ` +
    'glibc reuses retained pages; RSS will grow once they are used up',
};

/** RSS slopes this many times the heap's (or less than its inverse) tell a different story. */
const DIFFERENT_BY = 2;

/**
 * heap-in-use and RSS both leak, at rates far apart: what a server feels (RSS) is not what the engine
 * keeps (heap). Faster RSS is fragmentation (small live blocks pinning freed pages) or retention on top
 * of the leak; slower RSS is glibc reusing pages the leak has not reached yet. Either way, RSS alone
 * would mis-size the leak.
 */
const rssOutrunsHeapRule: ExplanationRule = {
  name: 'rss-differs-from-heap',
  applies: (e) => {
    if (e.heapInUse?.verdict !== 'leak' || e.rss?.verdict !== 'leak' || e.heapInUse.slopeBytesPerSwitch <= 0) return false;
    const ratio = e.rss.slopeBytesPerSwitch / e.heapInUse.slopeBytesPerSwitch;
    return ratio > DIFFERENT_BY || ratio < 1 / DIFFERENT_BY;
  },
  message: (e) => {
    const ratio = e.rss!.slopeBytesPerSwitch / e.heapInUse!.slopeBytesPerSwitch;
    return (
      `RSS alone looks different: it grows ${formatBytes(e.rss!.slopeBytesPerSwitch)}/switch, ${ratio.toFixed(1)}× the heap's ` +
      `${formatBytes(e.heapInUse!.slopeBytesPerSwitch)}/switch` +
      (ratio > 1
        ? ' (fragmentation or allocator retention on top of the leak: small live blocks keep freed pages resident)'
        : ' (glibc is still reusing freed pages; RSS will catch up)')
    );
  },
};

/** RSS or RssAnon grows while heap-in-use does not: the allocator or the page cache, not the program. */
const rssGrowsHeapFlatRule: ExplanationRule = {
  name: 'rss-grows-heap-flat',
  applies: (e) =>
    e.heapInUse !== undefined &&
    !e.heapInUse.insufficientData &&
    e.heapInUse.verdict !== 'leak' &&
    e.outsideMalloc?.verdict !== 'leak' &&
    (e.rss?.verdict === 'leak' || e.rssAnon?.verdict === 'leak'),
  message: (e) =>
    e.outsideMalloc
      ? 'RSS grows while heap in use and anonymous memory outside malloc do not: glibc keeps freed pages in its arenas ' +
        '(allocator retention, which malloc_trim(0) gives back; a server can call it after unloading a model) or file pages, not a leak'
      : 'RSS grows while heap-in-use is flat: allocator retention or file pages, not a leak ' +
        '(rerun with --trim, which calls malloc_trim(0) after each unload, to confirm; a server can call ' +
        'malloc_trim(0) after unloading a model)',
};

/** Anonymous memory outside malloc leaks: an engine's own mmap or thread stacks, invisible to heap in use. */
const outsideMallocLeakRule: ExplanationRule = {
  name: 'outside-malloc-leak',
  applies: (e) => e.outsideMalloc?.verdict === 'leak',
  message: (e) =>
    `leak outside malloc: anonymous memory that is neither in malloc's arenas nor its mmapped chunks grows ` +
    `${formatBytes(e.outsideMalloc!.slopeBytesPerSwitch)}/switch (the engine's own mmap or thread stacks; ` +
    `heap in use${e.heapInUse ? ` (${e.heapInUse.verdict})` : ''} and heaptrack cannot see it, and malloc_trim cannot give it back)`,
};

/** RSS grows but anonymous memory does not: the growth is file-backed pages such as the mmapped model. */
const fileBackedGrowthRule: ExplanationRule = {
  name: 'file-backed-growth',
  applies: (e) => e.rss?.verdict === 'leak' && e.rssAnon !== undefined && e.rssAnon.verdict !== 'leak',
  message: () => 'RSS grows but RssAnon does not: the growth is file-backed pages (e.g. the mmapped model file), which the kernel can drop',
};

/** Without mallinfo2 the verdict rests on RSS, which cannot separate retention from a leak. */
const heapUnavailableRule: ExplanationRule = {
  name: 'heap-unavailable',
  applies: (e) => e.heapInUse === undefined && (e.rssAnon !== undefined || e.rss !== undefined),
  message: (e) =>
    `heap-in-use was not measured (no glibc mallinfo2): the verdict comes from ${e.rssAnon ? 'RssAnon' : 'RSS'}, ` +
    'which cannot tell allocator retention from a leak',
};

/** The signals, after the deciding one (the first present in SIGNALS order), that are undecided. */
function undecidedBesideDecided(e: EvidenceBySignal): { decisive: SignalEvidence; noisy: SignalEvidence[] } | null {
  const present = SIGNALS.map((s) => e[s]).filter((x): x is SignalEvidence => x !== undefined);
  const [decisive, ...others] = present;
  if (decisive === undefined || decisive.verdict === 'undecided') return null;
  const noisy = others.filter((o) => o.verdict === 'undecided' && o.rule === 'unproven');
  return noisy.length > 0 ? { decisive, noisy } : null;
}

/**
 * The deciding signal is decided, a noisier one (RSS under glibc retention) is not: its interval spans
 * the floor. Its indecision does not make the model undecided; say so, naming the signal that decides.
 */
const tooNoisyToDecideRule: ExplanationRule = {
  name: 'too-noisy-to-decide',
  applies: (e) => undecidedBesideDecided(e) !== null,
  message: (e) => {
    const { decisive, noisy } = undecidedBesideDecided(e)!;
    const names = noisy.map((n) => SIGNAL_NAMES[n.signal]).join(' and ');
    return (
      `${names} ${noisy.length === 1 ? 'is' : 'are'} too noisy to decide on ${noisy.length === 1 ? 'its' : 'their'} own ` +
      `(allocator retention moves ${noisy.length === 1 ? 'it' : 'them'} between switches); ${SIGNAL_NAMES[decisive.signal]} ` +
      `decides: ${decisive.verdict}`
    );
  },
};

/** Cross-signal remarks, each added (in this order) when it applies to a model's evidence. */
export const explanationRules: readonly ExplanationRule[] = [
  rssHidesHeapLeakRule,
  rssOutrunsHeapRule,
  outsideMallocLeakRule,
  rssGrowsHeapFlatRule,
  fileBackedGrowthRule,
  heapUnavailableRule,
  tooNoisyToDecideRule,
];
