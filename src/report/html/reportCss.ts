import { VERDICT_COLORS } from '../charts/verdictColors.js';

/** The report's only stylesheet, inlined so the page needs nothing from the network. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --leak: ${VERDICT_COLORS.leak}; --undecided: ${VERDICT_COLORS.undecided}; --plateau: ${VERDICT_COLORS.plateau}; --clean: ${VERDICT_COLORS.clean}; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 Helvetica, Arial, "Liberation Sans", sans-serif; color: var(--ink); background: #f6f8fa; }
main { max-width: 920px; margin: 0 auto; padding: 20px 24px 40px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-top: 12px; border-top: 1px solid var(--rule); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.lede, .muted, figcaption { color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 0.8em; font-weight: bold; vertical-align: 2px; letter-spacing: 0.03em; }
.badge.leak { background: var(--leak); } .badge.undecided { background: var(--undecided); } .badge.plateau { background: var(--plateau); } .badge.clean { background: var(--clean); }
.badge.failed { background: #82071e; }
.model { border-left: 4px solid var(--rule); padding-left: 14px; }
.model.leak { border-left-color: var(--leak); } .model.undecided { border-left-color: var(--undecided); } .model.plateau { border-left-color: var(--plateau); } .model.clean { border-left-color: var(--clean); }
.model h2 { border-top: none; padding-top: 0; }
ul.verdicts { padding-left: 18px; margin: 8px 0; }
ul.explanations { padding-left: 18px; margin: 6px 0 10px; }
ul.explanations li:first-child { font-weight: bold; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--rule); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.deciding td { font-weight: bold; }
figure { margin: 12px 0; }
figure svg { max-width: 100%; height: auto; display: block; }
details { margin: 8px 0; }
summary { cursor: pointer; color: #0b5cad; }
.alert { border: 1px solid #cf222e; background: #fff5f5; padding: 8px 12px; border-radius: 6px; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;
