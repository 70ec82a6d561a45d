/**
 * EventBridge's `wildcard` operator: `*` matches any run of characters, `\*` a literal star and `\\` a
 * backslash (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching).
 * A greedy matcher that backtracks only to the last star: O(text × pattern) at worst and no regular
 * expression, so a hostile event value cannot make it slow.
 */
export interface WildcardPattern {
  /** Literal segments between stars. */
  segments: string[]
  startsWithStar: boolean
  endsWithStar: boolean
}

export function parseWildcard(pattern: string): WildcardPattern | { error: string } {
  const segments: string[] = []
  let current = ''
  let lastWasStar = false
  let startsWithStar = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '\\') {
      const next = pattern[i + 1]
      if (next !== '*' && next !== '\\') return { error: `'\\' must escape '*' or '\\' (at position ${i})` }
      current += next
      i++
      lastWasStar = false
    } else if (c === '*') {
      if (lastWasStar) return { error: 'consecutive wildcard characters (**) are not allowed, as in EventBridge' }
      if (i === 0) startsWithStar = true
      segments.push(current)
      current = ''
      lastWasStar = true
    } else {
      current += c
      lastWasStar = false
    }
  }
  segments.push(current)
  return { segments, startsWithStar, endsWithStar: lastWasStar }
}

export function wildcardMatch(p: WildcardPattern, text: string): boolean {
  const { segments } = p
  if (segments.length === 1) return text === segments[0]
  const first = segments[0]!
  const last = segments[segments.length - 1]!
  if (!text.startsWith(first) || !text.endsWith(last) || text.length < first.length + last.length) return false
  let pos = first.length
  const end = text.length - last.length
  for (let i = 1; i < segments.length - 1; i++) {
    const seg = segments[i]!
    const found = text.indexOf(seg, pos)
    if (found < 0 || found + seg.length > end) return false
    pos = found + seg.length
  }
  return true
}
