import type { Verdict } from '../../analysis/Verdict.js';

/** One colour per verdict, shared by the charts and the HTML (colour-blind-safe Okabe–Ito hues). */
export const VERDICT_COLORS: Readonly<Record<Verdict, string>> = {
  leak: '#d55e00',
  undecided: '#cc79a7',
  plateau: '#e69f00',
  clean: '#009e73',
};
