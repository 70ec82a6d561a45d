/**
 * Text from any value an event can carry, never throwing. JSON allows lone UTF-16 surrogates ("\ud800"), which make
 * encodeURIComponent throw (URIError) and are not valid UTF-8; a value of the wrong type ({"toString": 1}) makes
 * String(x) and template literals throw (TypeError: Cannot convert object to primitive value). Everything an alert
 * shows goes through here first, so neither can cost an alert.
 */

// String.prototype.isWellFormed / toWellFormed are ES2024 (Node ≥ 20); the project's lib is ES2023.
const wellFormedProto = String.prototype as unknown as { isWellFormed(this: string): boolean, toWellFormed(this: string): string }

/** The string with every lone surrogate replaced by U+FFFD (the replacement character). */
export const wellFormed = (s: string): string => (wellFormedProto.isWellFormed.call(s) ? s : wellFormedProto.toWellFormed.call(s))

/**
 * Any value as well-formed text: strings as they are, numbers and booleans spelled out, objects and lists as compact
 * JSON, null and undefined as ''. JSON.stringify never calls a toString or valueOf a JSON value carries, and a value
 * it cannot serialise (a cycle, a throwing getter: not JSON, but a caller may hand anything) gives a placeholder.
 */
export function asText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return wellFormed(value)
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value)
    case 'object':
      if (value === null) return ''
      try {
        return wellFormed(JSON.stringify(value))
      } catch {
        return '[unreadable value]'
      }
    default:
      return ''
  }
}

/** Text or undefined when empty: for the optional fields of an alert. */
export const optionalText = (value: unknown): string | undefined => {
  const t = asText(value)
  return t === '' ? undefined : t
}

/** The first `max` UTF-16 units of well-formed text, never ending in half a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, Math.max(0, max))
  const last = cut.charCodeAt(cut.length - 1)
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut
}

/** Text bounded to `max` units, saying so when it was cut. */
export const bounded = (text: string, max: number): string => (text.length > max ? `${truncate(text, max - 13)}… (truncated)` : text)
