import type { Signal } from '../../analysis/Signal.js';

/** How reports name each signal. */
export const SIGNAL_NAMES: Readonly<Record<Signal, string>> = { heapInUse: 'heap in use', rssAnon: 'RssAnon', rss: 'RSS' };
