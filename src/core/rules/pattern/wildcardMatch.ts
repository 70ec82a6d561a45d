/**
 * EventBridge's `wildcard` operator: `*` matches any run of characters, `\*` a literal star and `\\` a
 * backslash (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching).
 * No backtracking and no regular expression: the text must start with the part before the first star and end with
 * the part after the last, and each part between stars is found left to right at its earliest place (indexOf).
 * The earliest place never loses a match (a later one only leaves less room for the parts after it), so each part is
 * searched once: O(text × pattern) at worst, and a hostile event value cannot make it slow.
 */
export type WildcardPattern =
  /** No star: the text must equal it. */
  | { exact: string }
  /** The literal parts before the first star, between stars, and after the last star. */
  | { first: string, middle: string[], last: string }

export function parseWildcard(pattern: string): WildcardPattern | { error: string } {
  let first: string | undefined
  const middle: string[] = []
  let current = ''
  let lastWasStar = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i)
    if (c === '\\') {
      const next = pattern[i + 1]
      if (next !== '*' && next !== '\\') return { error: `'\\' must escape '*' or '\\' (at position ${i})` }
      current += next
      i++
      lastWasStar = false
    } else if (c === '*') {
      if (lastWasStar) return { error: 'consecutive wildcard characters (**) are not allowed, as in EventBridge' }
      if (first === undefined) first = current
      else middle.push(current)
      current = ''
      lastWasStar = true
    } else {
      current += c
      lastWasStar = false
    }
  }
  return first === undefined ? { exact: current } : { first, middle, last: current }
}

export function wildcardMatch(p: WildcardPattern, text: string): boolean {
  if ('exact' in p) return text === p.exact
  const { first, middle, last } = p
  if (!text.startsWith(first) || !text.endsWith(last) || text.length < first.length + last.length) return false
  let pos = first.length
  const end = text.length - last.length
  for (const part of middle) {
    const found = text.indexOf(part, pos)
    if (found < 0 || found + part.length > end) return false
    pos = found + part.length
  }
  return true
}
