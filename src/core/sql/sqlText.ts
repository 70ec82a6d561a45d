/** SQL text helpers shared by both dialects. Every value from a rule or the config enters SQL through these. */

/** A string literal: single quotes doubled (the SQL standard, and both DuckDB's and Trino's only escape). */
export const quote = (s: string): string => `'${s.replaceAll('\'', '\'\'')}'`

/** A number literal. Finite numbers only (the rule language refuses the rest). */
export const num = (n: number): string => (Number.isInteger(n) && Math.abs(n) < 2 ** 53 ? String(n) : n.toExponential())

/** LIKE with `\` as its escape character: `%`, `_` and `\` taken literally. */
export const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`)

export const like = (text: string, pattern: string): string => `${text} LIKE ${quote(pattern)} ESCAPE '\\'`

const TRUE = 'TRUE'
const FALSE = 'FALSE'

/** AND of predicates, constant-folded so the generated SQL stays readable. */
export function and(...parts: string[]): string {
  if (parts.includes(FALSE)) return FALSE
  const kept = [...new Set(parts.filter((p) => p !== TRUE))]
  if (kept.length === 0) return TRUE
  return kept.length === 1 ? (kept[0] ?? TRUE) : kept.map((p) => `(${p})`).join(' AND ')
}

/** OR of predicates, constant-folded. */
export function or(...parts: string[]): string {
  if (parts.includes(TRUE)) return TRUE
  const kept = [...new Set(parts.filter((p) => p !== FALSE))]
  if (kept.length === 0) return FALSE
  return kept.length === 1 ? (kept[0] ?? FALSE) : kept.map((p) => `(${p})`).join(' OR ')
}

export const not = (p: string): string => (p === TRUE ? FALSE : p === FALSE ? TRUE : `NOT (${p})`)

/** A predicate that is never SQL NULL (three-valued logic would otherwise turn NOT(NULL) into a match). */
export const definite = (p: string): string => (p === TRUE || p === FALSE ? p : `COALESCE(${p}, FALSE)`)

export const bool = (b: boolean): string => (b ? TRUE : FALSE)

/** CASE WHEN … THEN … ELSE … END, folded when the first condition is a constant. */
export function cases(branches: Array<[string, string]>, otherwise: string): string {
  const live: Array<[string, string]> = []
  for (const [when, then] of branches) {
    if (when === FALSE) continue
    if (when === TRUE) {
      if (live.length === 0) return then
      return `CASE ${live.map(([w, t]) => `WHEN ${w} THEN ${t}`).join(' ')} ELSE ${then} END`
    }
    live.push([when, then])
  }
  if (live.length === 0) return otherwise
  return `CASE ${live.map(([w, t]) => `WHEN ${w} THEN ${t}`).join(' ')} ELSE ${otherwise} END`
}
