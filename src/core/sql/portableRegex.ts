/**
 * One of the engine's own JavaScript regular expressions (user agents, ECR hosts) as text both RE2 (DuckDB) and
 * Joni (Athena) read the same way: `$` becomes `\z` (Java-style `$` also matches before a final line break; JavaScript's
 * does not without the m flag), `\d` becomes [0-9] (ASCII, as in JavaScript), the i flag becomes (?i). Any other
 * flag is a programming error: the intake's patterns use none.
 */
export function portableRegex(re: RegExp): string {
  if (re.flags.replace('i', '') !== '') throw new Error(`portableRegex: flag ${re.flags} has no portable form (${re.source})`)
  let out = ''
  let inClass = false
  const s = re.source
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i)
    if (c === '\\') {
      const next = s.charAt(i + 1)
      out += next === 'd' && !inClass ? '[0-9]' : next === 'd' ? '0-9' : `\\${next}`
      i++
      continue
    }
    if (c === '[') inClass = true
    else if (c === ']') inClass = false
    out += c === '$' && !inClass ? '\\z' : c
  }
  return re.flags.includes('i') ? `(?i)${out}` : out
}
