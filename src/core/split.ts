/**
 * String splits typed as what they always give. `text.split(sep)` never returns an empty list, but its type says
 * it may; these say what the caller needs without an assertion.
 */

/** The text before the first `separator`, or all of it when there is none: `ecs.amazonaws.com` → `ecs`. */
export function firstPart(text: string, separator: string): string {
  const at = text.indexOf(separator)
  return at < 0 ? text : text.slice(0, at)
}

/** `text.split(separator)` as the parts before the last one and the last one: `a.b.c` → { init: [a, b], last: c }. */
export function splitLast(text: string, separator: string): { init: string[], last: string } {
  const at = text.lastIndexOf(separator)
  return at < 0 ? { init: [], last: text } : { init: text.slice(0, at).split(separator), last: text.slice(at + separator.length) }
}
