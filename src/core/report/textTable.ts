import { cellText } from './cellText.js'

/**
 * Columns for a terminal: every cell cleaned (no control characters, one line), at most `maxWidth` characters, padded
 * to its column's widest cell; two spaces between columns, no trailing spaces.
 */
export function textTable(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>, maxWidth = 60): string {
  const cells = [headers.map((h) => cellText(h, maxWidth)), ...rows.map((r) => r.map((c) => cellText(c, maxWidth)))]
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n'
}
