import { escapeHtml } from './escapeHtml.js';

/** A table cell: text (escaped), or markup already made safe. */
export type Cell = string | number | null | { html: string };

const cellHtml = (cell: Cell): string => (cell === null ? '–' : typeof cell === 'object' ? cell.html : escapeHtml(String(cell)));

const rowClassAttr = (name: string | null): string => (name ? ` class="${escapeHtml(name)}"` : '');

/** An HTML table; columns listed in `numeric` (0-based) are right-aligned; `rowClass` names a class per body row. */
export function htmlTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: { className?: string; numeric?: readonly number[]; rowClass?: (rowIndex: number) => string | null } = {},
): string {
  const align = (i: number): string => (options.numeric?.includes(i) ? ' class="num"' : '');
  return [
    `<table${options.className ? ` class="${escapeHtml(options.className)}"` : ''}>`,
    `<thead><tr>${headers.map((h, i) => `<th${align(i)}>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map(
      (row, r) =>
        `<tr${rowClassAttr(options.rowClass?.(r) ?? null)}>${row.map((cell, i) => `<td${align(i)}>${cellHtml(cell)}</td>`).join('')}</tr>`,
    ),
    '</tbody></table>',
  ].join('\n');
}
