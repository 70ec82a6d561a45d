import { cellText } from './cellText.js'

/**
 * A cell of a GitHub-flavoured Markdown table, inert: a pipe would end the cell (GFM spec, "Tables": escape it as
 * `\|`), and *, _, `, ~, [ and ] would format text or open a link, < and & would start HTML. Each is escaped, so a
 * value an event carries shows as written and cannot add a link or a mention to a pull-request comment.
 */
export function markdownCell(value: unknown, max = 300): string {
  return cellText(value, max)
    .replace(/[\\`*_~[\]|]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // GitHub links bare @names and #numbers; a zero-width joiner would be invisible, so a backslash keeps them inert.
    .replace(/([@#])/g, '\\$1')
}

/** A GFM table: the headers (trailwarden's own words) and the rows, every row cell escaped. */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [line(headers), line(headers.map(() => '---')), ...rows.map((r) => line(r.map((c) => markdownCell(c))))].join('\n') + '\n'
}
