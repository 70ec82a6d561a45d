import { cellText } from './cellText.js'

/**
 * A cell a spreadsheet would read as a formula: OWASP's "CSV Injection" guidance
 * (https://owasp.org/www-community/attacks/CSV_Injection) names a leading =, +, -, @, tab and carriage return. Such a
 * cell is prefixed with a single quote so a spreadsheet shows the text instead of evaluating it (event values are
 * written by whoever made the API call).
 */
const FORMULA_START = /^[=+\-@\t\r]/

/** One CSV cell as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, quotes doubled. */
export function csvCell(value: unknown, max = 2000): string {
  const text = cellText(value, max)
  const safe = FORMULA_START.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** One CSV record, CRLF-terminated as RFC 4180 (section 2) says. */
export const csvLine = (cells: readonly unknown[]): string => `${cells.map((c) => csvCell(c)).join(',')}\r\n`
